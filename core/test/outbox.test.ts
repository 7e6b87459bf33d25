import { describe, expect, it } from 'vitest';
import { backoffMs, deliverOnce, dueDeliveries, laterStatus, outboxPolicy, refs, startsDelivery, windowClosedWhy, type CarryResult, type DeliveryJob } from '../src/index.ts';
import { makeWorld, staff } from './support.ts';

const rateLimited: CarryResult = { kind: 'retry', failure: { code: 'rate-limited', providerCode: 130429, detail: null } };

const openWhatsAppTicket = async () => {
  const w = await makeWorld();
  // zap2 has no bot and no default sector: send through zap with a human in service.
  const { ticketId } = await w.inbound('zap2', '5511987654321', 'Oi');
  await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: 'ana' });
  const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as { message: { id: string } };
  return { w, ticketId, messageId: message.id, at: { ticketId, messageId: message.id } };
};

const deliveryOf = (w: Awaited<ReturnType<typeof openWhatsAppTicket>>['w'], ticketId: string, messageId: string) => w.messages(ticketId).find((m) => m.id === messageId)?.delivery;

describe('the outbox retry policy', () => {
  it('backs off exponentially from 5 s, capped at 15 min, and never below the provider hint', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30)).toBe(15 * 60_000);
    expect(backoffMs(1, 60_000)).toBe(60_000);
    expect(backoffMs(1, 10 * 60 * 60_000)).toBe(15 * 60_000);
  });

  it('statuses only move forward, whatever order reports arrive in', () => {
    expect(laterStatus('read', 'delivered')).toBe('read');
    expect(laterStatus('delivered', 'sent')).toBe('delivered');
    expect(laterStatus('sent', 'failed')).toBe('failed');
    expect(laterStatus('delivered', 'failed')).toBe('delivered');
    expect(laterStatus('pending', 'read')).toBe('read');
  });
});

describe('deliverOnce', () => {
  it('hands the carrier the recipient, then records the provider id as a receipt', async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    const jobs: DeliveryJob[] = [];
    const result = await deliverOnce(w.store, at, w.deps.clock, {
      whatsapp: async (job) => (jobs.push(job), { kind: 'sent', channelMessageId: 'wamid.1' }),
    });
    expect(result).toBe('done');
    expect(jobs[0]).toMatchObject({ to: '5511987654321', message: { id: messageId }, channel: { id: 'zap2' } });
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'sent', channelMessageId: 'wamid.1' });
    const receipts = w.store.all('receipts').filter((r) => r.messageId === messageId);
    expect(receipts).toHaveLength(1);
    // A second pass finds nothing to do.
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.2' }) })).toBe('skipped');
  });

  it('a lease keeps a second worker off an entry being sent', async () => {
    const { w, ticketId, at } = await openWhatsAppTicket();
    let release!: () => void;
    let started!: () => void;
    const carrying = new Promise<void>((r) => (started = r));
    const first = deliverOnce(w.store, at, w.deps.clock, {
      whatsapp: () => {
        started();
        return new Promise<CarryResult>((r) => (release = () => r({ kind: 'sent', channelMessageId: 'wamid.x' })));
      },
    });
    await carrying;
    expect(deliveryOf(w, ticketId, at.messageId)?.dueAt).toBe(w.deps.clock() + outboxPolicy.leaseMs);
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.y' }) })).toBe('skipped');
    release();
    expect(await first).toBe('done');
  });

  it('retries on the policy, then gives up with the reason after the last attempt', async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    for (let attempt = 1; attempt < outboxPolicy.maxAttempts; attempt++) {
      expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => rateLimited })).toBe('retry');
      expect(deliveryOf(w, ticketId, messageId)).toMatchObject({ attempts: attempt, dueAt: w.deps.clock() + backoffMs(attempt), lastError: 'rate-limited' });
      expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'pending', deliveryFailure: { code: 'rate-limited' } });
      w.advance(backoffMs(attempt));
    }
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => rateLimited })).toBe('done');
    expect(deliveryOf(w, ticketId, messageId)).toMatchObject({ attempts: outboxPolicy.maxAttempts, dueAt: null, doneAt: w.deps.clock() });
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'failed', deliveryFailure: { code: 'rate-limited', providerCode: 130429 } });
  });

  it('credentials refused: the message fails and the channel needs attention until a send succeeds', async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    const auth: CarryResult = { kind: 'attention', failure: { code: 'auth', providerCode: 190, detail: 'Invalid OAuth access token' } };
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => auth })).toBe('done');
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'failed', deliveryFailure: { code: 'auth' } });
    const channel = await w.store.transaction((tx) => tx.get(refs.channel('zap2')));
    expect(channel?.health).toMatchObject({ status: 'attention', failure: { providerCode: 190 } });
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Outra' })) as { message: { id: string } };
    await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.ok' }) });
    expect((await w.store.transaction((tx) => tx.get(refs.channel('zap2'))))?.health?.status).toBe('ok');
  });

  it("the queue card shows a final failure of the ticket's last message and a retry clears it; an earlier message's failure leaves it", async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    const card = async () => (await w.store.transaction((tx) => tx.get(refs.ticket(ticketId))))?.lastMessage;
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => rateLimited })).toBe('retry');
    expect((await card())?.failed).toBeUndefined();
    w.advance(backoffMs(1));
    expect(await deliverOnce(w.store, at, w.deps.clock, {})).toBe('done');
    expect(await card()).toMatchObject({ text: 'Olá!', direction: 'out', failed: true });
    await w.run(staff('ana'), 'message.retry', { ticketId, messageId });
    expect((await card())?.failed).toBeUndefined();
    // A later reply is the card's now: the first one failing again leaves the card alone.
    w.advance(1000);
    await w.run(staff('ana'), 'message.send', { ticketId, text: 'Mais uma' });
    expect(await deliverOnce(w.store, at, w.deps.clock, {})).toBe('done');
    expect(await card()).toMatchObject({ text: 'Mais uma', direction: 'out' });
    expect((await card())?.failed).toBeUndefined();
  });

  it("a provider's late failure report of the last message shows on the queue card", async () => {
    const { w, ticketId, at } = await openWhatsAppTicket();
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.late' }) })).toBe('done');
    const card = async () => (await w.store.transaction((tx) => tx.get(refs.ticket(ticketId))))?.lastMessage;
    expect((await card())?.failed).toBeUndefined();
    const failure = { code: 'invalid-recipient', providerCode: 131026, detail: null };
    expect(await w.run({ kind: 'system' }, 'channel.status', { channelId: 'zap2', channelMessageId: 'wamid.late', status: 'failed', failure })).toMatchObject({ updated: true });
    expect(await card()).toMatchObject({ text: 'Olá!', failed: true });
  });

  it("the provider's 131047 closes the ticket's reply window until the customer writes again; other failures leave it", async () => {
    const { w, ticketId, at } = await openWhatsAppTicket();
    const ticket = async () => (await w.store.transaction((tx) => tx.get(refs.ticket(ticketId))))!;
    const opened = (await ticket()).windowFrom;
    expect(opened).toEqual(expect.any(Number));
    // Refused for a reason other than the window: our clock still says open.
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Segunda' })) as { message: { id: string } };
    const invalid: CarryResult = { kind: 'give-up', failure: { code: 'invalid-recipient', providerCode: 131026, detail: null } };
    expect(await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, { whatsapp: async () => invalid })).toBe('done');
    expect((await ticket()).windowFrom).toBe(opened);
    // Meta says the window is closed (its clock decides): free text is refused from now on, with the reason.
    const closed: CarryResult = { kind: 'give-up', failure: { code: 'window-closed', providerCode: 131047, detail: 'Re-engagement message' } };
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => closed })).toBe('done');
    expect((await ticket()).windowFrom).toBeNull();
    // The bar says WhatsApp closed it (the customer did write), not "ainda não respondeu neste número".
    expect((await ticket()).windowClosedAt).toBe(w.messages(ticketId).find((m) => m.id === at.messageId)?.createdAt);
    expect(windowClosedWhy(await ticket())).toBe('provider');
    await expect(w.run(staff('ana'), 'message.send', { ticketId, text: 'Ainda aí?' })).rejects.toThrow();
    // The customer writes: the window opens again.
    w.advance(1000);
    await w.inbound('zap2', '5511987654321', 'Voltei');
    expect((await ticket()).windowFrom).toBe(w.deps.clock());
  });

  it('a ticket moved to another number after a 131047 has a window the customer never opened there', async () => {
    const { w, ticketId, at } = await openWhatsAppTicket();
    const ticket = async () => (await w.store.transaction((tx) => tx.get(refs.ticket(ticketId))))!;
    const closed: CarryResult = { kind: 'give-up', failure: { code: 'window-closed', providerCode: 131047, detail: null } };
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => closed })).toBe('done');
    expect(windowClosedWhy(await ticket())).toBe('provider');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId, channelId: 'zap' });
    expect(await ticket()).toMatchObject({ channelId: 'zap', windowFrom: null, windowClosedAt: null });
    expect(windowClosedWhy(await ticket())).toBe('never');
  });

  it("a late 131047 status report closes the window too, unless the customer wrote after the message", async () => {
    const { w, ticketId, at } = await openWhatsAppTicket();
    const ticket = async () => (await w.store.transaction((tx) => tx.get(refs.ticket(ticketId))))!;
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.w1' }) })).toBe('done');
    w.advance(1000);
    await w.inbound('zap2', '5511987654321', 'Recebi?');
    const reopened = (await ticket()).windowFrom;
    const failure = { code: 'window-closed', providerCode: 131047, detail: null };
    await w.run({ kind: 'system' }, 'channel.status', { channelId: 'zap2', channelMessageId: 'wamid.w1', status: 'failed', failure });
    expect((await ticket()).windowFrom).toBe(reopened);
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Sim' })) as { message: { id: string } };
    expect(await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, { whatsapp: async () => ({ kind: 'sent', channelMessageId: 'wamid.w2' }) })).toBe('done');
    await w.run({ kind: 'system' }, 'channel.status', { channelId: 'zap2', channelMessageId: 'wamid.w2', status: 'failed', failure });
    expect((await ticket()).windowFrom).toBeNull();
  });

  it('a thrown carrier error is a retryable provider failure; a missing carrier gives up as not configured', async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => Promise.reject(new Error('ECONNRESET')) })).toBe('retry');
    expect(w.messages(ticketId).find((m) => m.id === messageId)?.deliveryFailure).toMatchObject({ code: 'provider-unavailable', detail: 'ECONNRESET' });
    w.advance(backoffMs(1));
    expect(await deliverOnce(w.store, at, w.deps.clock, {})).toBe('done');
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'failed', deliveryFailure: { code: 'not-configured' } });
  });

  it('web chat is delivered by the transaction that writes the reply: nothing is left due', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as { message: { id: string } };
    const stored = w.messages(ticketId).find((m) => m.id === message.id)!;
    expect(stored).toMatchObject({ status: 'delivered', delivery: { attempts: 1, dueAt: null, doneAt: w.deps.clock(), lastError: null } });
    expect(startsDelivery(null, stored)).toBe(false);
    expect(await w.store.transaction((tx) => tx.query(dueDeliveries(w.deps.clock(), 10)))).toEqual([]);
    expect(await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, {})).toBe('skipped');
  });

  it('a web-chat reply queued before that (still pending) is delivered in one transaction with no carrier', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as { message: { id: string } };
    const ref = refs.message(ticketId, message.id);
    await w.store.transaction(async (tx) => tx.update(ref, { status: 'pending', delivery: { attempts: 0, dueAt: w.deps.clock(), doneAt: null, lastError: null } }));
    expect(await deliverOnce(w.store, { ticketId, messageId: message.id }, w.deps.clock, {})).toBe('done');
    expect(w.messages(ticketId).find((m) => m.id === message.id)).toMatchObject({ status: 'delivered', delivery: { attempts: 1, dueAt: null } });
  });
});

describe('a message is its own outbox entry (issue 15)', () => {
  it('the trigger starts a delivery only on a new pending message or a failed one sent again', () => {
    const pending = { delivery: { attempts: 0, dueAt: 1, doneAt: null, lastError: null } };
    const leased = { delivery: { attempts: 0, dueAt: 120_001, doneAt: null, lastError: null } };
    const retrying = { delivery: { attempts: 1, dueAt: 5_001, doneAt: null, lastError: 'rate-limited' } };
    const failed = { delivery: { attempts: 8, dueAt: null, doneAt: 9, lastError: 'auth' } };
    expect(startsDelivery(null, pending)).toBe(true);
    expect(startsDelivery(failed, { delivery: { attempts: 0, dueAt: 10, doneAt: null, lastError: null } })).toBe(true);
    // Its own lease, a retry's backoff, its end, status reports and lines without a delivery start nothing.
    expect(startsDelivery(pending, leased)).toBe(false);
    expect(startsDelivery(leased, retrying)).toBe(false);
    expect(startsDelivery(retrying, failed)).toBe(false);
    expect(startsDelivery(failed, failed)).toBe(false);
    expect(startsDelivery(null, {})).toBe(false);
    expect(startsDelivery(pending, null)).toBe(false);
  });

  it('due deliveries are asked of every ticket at once; a failed message sent again is due again', async () => {
    const { w, ticketId, messageId, at } = await openWhatsAppTicket();
    const due = () => w.store.transaction((tx) => tx.query(dueDeliveries(w.deps.clock(), 10))).then((ms) => ms.map((m) => m.id));
    expect(await due()).toEqual([messageId]);
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => rateLimited })).toBe('retry');
    expect(await due()).toEqual([]);
    w.advance(backoffMs(1));
    expect(await due()).toEqual([messageId]);
    expect(await deliverOnce(w.store, at, w.deps.clock, {})).toBe('done');
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'failed', delivery: { attempts: 2, dueAt: null, lastError: 'not-configured' } });
    expect(await due()).toEqual([]);
    await w.run(staff('ana'), 'message.retry', { ticketId, messageId });
    expect(w.messages(ticketId).find((m) => m.id === messageId)).toMatchObject({ status: 'pending', deliveryFailure: null, delivery: { attempts: 0, dueAt: w.deps.clock(), doneAt: null } });
    expect(await due()).toEqual([messageId]);
  });
});
