import { describe, expect, it } from 'vitest';
import {
  commandRegistry,
  deliverOnce,
  dueDeliveries,
  executeCommand,
  outboxPolicy,
  sendingAfterCommit,
  startsDelivery,
  type CarryResult,
  type Change,
  type DeliveryJob,
} from '../src/index.ts';
import { countingReads, makeWorld, staff } from './support.ts';

/** A WhatsApp ticket served by Ana, and a reply sent through a runner that sends what it creates after the commit. */
const replyInline = async () => {
  const w = await makeWorld();
  const { ticketId } = await w.inbound('zap2', '5511987654321', 'Oi');
  await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: 'ana' });
  const sending = sendingAfterCommit(w.store);
  const { message } = (await executeCommand(commandRegistry, { ...w.deps, store: sending.store }, staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as {
    message: { id: string };
  };
  const writes: Change[] = [];
  w.store.onCommit((changes) => writes.push(...changes.filter((c) => c.ref.collection === 'messages' && c.ref.id === message.id)));
  const reply = () => w.messages(ticketId).find((m) => m.id === message.id)!;
  return { w, ticketId, messageId: message.id, at: { ticketId, messageId: message.id }, created: sending.created(), writes, reply };
};

const sent = (id: string): CarryResult => ({ kind: 'sent', channelMessageId: id });

describe('a reply sent by the invocation that created it (no lease write)', () => {
  it('is created leased by its creator, named to it, and the trigger leaves it', async () => {
    const { w, at, created, reply } = await replyInline();
    expect(created).toEqual([{ ...at, written: { message: reply(), ticket: w.ticket(at.ticketId) } }]);
    expect(reply().delivery).toEqual({ attempts: 0, dueAt: w.deps.clock() + outboxPolicy.leaseMs, doneAt: null, lastError: null, inline: true });
    expect(startsDelivery(null, reply())).toBe(false);
    // Nobody else may take it while the lease holds: the trigger, a second instance, the sweep.
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => sent('wamid.other') })).toBe('skipped');
    expect(await w.store.transaction((tx) => tx.query(dueDeliveries(w.deps.clock(), 10)))).toEqual([]);
  });

  it('its creator sends it with one write, the outcome; a second send by anyone finds it done', async () => {
    const { w, at, writes, reply } = await replyInline();
    const jobs: DeliveryJob[] = [];
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async (job) => (jobs.push(job), sent('wamid.1')) }, { byCreator: true })).toBe('done');
    expect(jobs).toHaveLength(1);
    expect(writes).toHaveLength(1);
    expect(reply()).toMatchObject({ status: 'sent', channelMessageId: 'wamid.1', delivery: { attempts: 1, dueAt: null, doneAt: w.deps.clock() } });
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => sent('wamid.2') }, { byCreator: true })).toBe('skipped');
    w.advance(outboxPolicy.leaseMs + 1);
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => sent('wamid.3') })).toBe('skipped');
    expect(jobs).toHaveLength(1);
  });

  it("its creator's claim reads nothing while its lease holds: the reply and ticket it wrote, the address the ticket keeps", async () => {
    const { w, at, created, reply } = await replyInline();
    const { counting, reads } = countingReads(w.store);
    const jobs: DeliveryJob[] = [];
    expect(await deliverOnce(counting, created[0]!, w.deps.clock, { whatsapp: async (job) => (jobs.push(job), sent('wamid.1')) }, { byCreator: true })).toBe('done');
    expect(jobs.map((j) => j.to)).toEqual(['5511987654321']);
    // The channel and its secrets (configuration, cached by the functions): neither the reply nor its ticket nor the contact,
    // and the outcome is written without reading the reply again while the lease holds.
    expect(reads).toEqual(['channels', 'channelSecrets', 'channels']);
    expect(reply()).toMatchObject({ status: 'sent', channelMessageId: 'wamid.1' });
    // A second send of the same created reply reads it like anyone else, and finds it done.
    expect(await deliverOnce(counting, created[0]!, w.deps.clock, { whatsapp: async () => sent('wamid.2') }, { byCreator: true })).toBe('skipped');
    expect(jobs).toHaveLength(1);
    void at;
  });

  it('with less than half its lease left, the creator reads the reply again before writing the outcome', async () => {
    const { w, created } = await replyInline();
    const { counting, reads } = countingReads(w.store);
    const slow = async (): Promise<CarryResult> => (w.advance(outboxPolicy.leaseMs / 2), sent('wamid.slow'));
    expect(await deliverOnce(counting, created[0]!, w.deps.clock, { whatsapp: slow }, { byCreator: true })).toBe('done');
    expect(reads).toEqual(['channels', 'channelSecrets', 'messages', 'channels']);
  });

  it("a reply goes to the address its ticket keeps (the contact's first number there); a key of another channel is not used", async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap2', '5511987654321', 'Oi');
    // The same person writes again from the number without the ninth digit: same ticket, replies still go to the first number.
    expect((await w.inbound('zap2', '551187654321', 'Oi de novo')).ticketId).toBe(ticketId);
    expect(w.ticket(ticketId).customerKey).toBe('zap2:5511987654321');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: 'ana' });
    const to = async () => {
      const sending = sendingAfterCommit(w.store);
      await executeCommand(commandRegistry, { ...w.deps, store: sending.store }, staff('ana'), 'message.send', { ticketId, text: 'Olá!' });
      const jobs: DeliveryJob[] = [];
      await deliverOnce(w.store, sending.created()[0]!, w.deps.clock, { whatsapp: async (job) => (jobs.push(job), sent(`wamid.${w.deps.clock()}`)) }, { byCreator: true });
      return jobs[0]?.to;
    };
    expect(await to()).toBe('5511987654321');
    // The ticket's key is what is used (no contact read)…
    await w.store.transaction(async (tx) => tx.update({ collection: 'tickets', id: ticketId }, { customerKey: 'zap2:5511900000000' }));
    expect(await to()).toBe('5511900000000');
    // …unless it is another channel's (as after a move between connections): then the contact's key for this channel.
    await w.store.transaction(async (tx) => tx.update({ collection: 'tickets', id: ticketId }, { customerKey: 'zap1:5511900000000' }));
    expect(await to()).toBe('5511987654321');
  });

  it('a retryable failure goes to the ordinary retries, on the one policy', async () => {
    const { w, at, reply } = await replyInline();
    const limited: CarryResult = { kind: 'retry', failure: { code: 'rate-limited', providerCode: 130429, detail: null } };
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => limited }, { byCreator: true })).toBe('retry');
    expect(reply().delivery).toEqual({ attempts: 1, dueAt: w.deps.clock() + 5_000, doneAt: null, lastError: 'rate-limited' });
    w.advance(5_000);
    expect(await deliverOnce(w.store, at, w.deps.clock, { whatsapp: async () => sent('wamid.later') })).toBe('done');
    expect(reply()).toMatchObject({ status: 'sent', delivery: { attempts: 2 } });
  });

  it('if its creator dies before sending, the sweep sends it once the lease has run out, exactly once', async () => {
    const { w, at, reply } = await replyInline();
    w.advance(outboxPolicy.leaseMs);
    expect((await w.store.transaction((tx) => tx.query(dueDeliveries(w.deps.clock(), 10)))).map((m) => m.id)).toEqual([at.messageId]);
    let sends = 0;
    const carrier = { whatsapp: async () => (sends++, sent(`wamid.sweep.${sends}`)) };
    // The sweep and a late creator race: one takes the lease, the other finds it taken or done.
    const results = await Promise.all([deliverOnce(w.store, at, w.deps.clock, carrier), deliverOnce(w.store, at, w.deps.clock, carrier, { byCreator: true })]);
    expect(results.sort()).toEqual(['done', 'skipped']);
    expect(sends).toBe(1);
    expect(reply()).toMatchObject({ status: 'sent', delivery: { attempts: 1, doneAt: w.deps.clock() } });
  });

  it('web chat: written delivered by its own transaction, nothing left for its creator to send', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    await w.run(staff('ana'), 'ticket.accept', { ticketId });
    const sending = sendingAfterCommit(w.store);
    const { message } = (await executeCommand(commandRegistry, { ...w.deps, store: sending.store }, staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as {
      message: { id: string };
    };
    expect(sending.created()).toEqual([]);
    expect(w.messages(ticketId).find((m) => m.id === message.id)).toMatchObject({ status: 'delivered', delivery: { attempts: 1, dueAt: null, doneAt: w.deps.clock() } });
  });

  it('a runner that does not send after the commit queues replies as before (the embedded server, the trigger path)', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap2', '5511987654321', 'Oi');
    await w.run(staff('alice'), 'ticket.transfer', { ticketId, assigneeId: 'ana' });
    const { message } = (await w.run(staff('ana'), 'message.send', { ticketId, text: 'Olá!' })) as { message: { id: string } };
    const stored = w.messages(ticketId).find((m) => m.id === message.id)!;
    expect(stored.delivery).toEqual({ attempts: 0, dueAt: w.deps.clock(), doneAt: null, lastError: null });
    expect(startsDelivery(null, stored)).toBe(true);
  });
});
