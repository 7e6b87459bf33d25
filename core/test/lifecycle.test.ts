import { describe, expect, it } from 'vitest';
import { defaultSettings, protocolFor, refs, type Message, type Ticket } from '../src/index.ts';
import { DAY, expectError, makeWorld, menuBot, MINUTE, staff, T0, type World } from './support.ts';

const automatedTexts = (w: World, ticketId: string) => w.messages(ticketId).filter((m) => m.automated).map((m) => m.text);
const counter = (w: World, id: string) => w.store.all('counters').find((c) => c.id === id)?.value ?? 0;
const kinds = (ms: Message[]) => ms.map((m) => (m.direction === 'system' ? `system:${m.event?.kind}` : `${m.direction}${m.automated ? ':bot' : ''}`));

/** The protocol of a site visitor's `seq`-th ticket of their shard on `day` (core/src/ids.ts). */
const proto = (visitor: string, seq: number, day = DAY) => `${day}-${protocolFor.shard(`site:${visitor}`)}${String(seq).padStart(4, '0')}`;
/** Site visitors whose tickets share v1's protocol counter. */
const sameShardAsV1 = (n: number): string[] => {
  const out: string[] = [];
  for (let i = 2; out.length < n; i++) if (protocolFor.shard(`site:v${i}`) === protocolFor.shard('site:v1')) out.push(`v${i}`);
  return out;
};

/** A waiting ticket in Suporte (site channel, no bot), returned fresh from the store. */
const waiting = async (w: World, visitor = 'v1'): Promise<Ticket> => w.ticket((await w.inbound('site', visitor, 'Olá')).ticketId);
const served = async (w: World, by = 'ana', visitor = 'v1'): Promise<Ticket> => {
  const t = await waiting(w, visitor);
  await w.run(staff(by), 'ticket.accept', { ticketId: t.id });
  return w.ticket(t.id);
};

describe('inbound (A1, A6, A10)', () => {
  it('a first message opens a waiting ticket in the channel default sector, with a protocol of the day', async () => {
    const w = await makeWorld();
    const r = await w.inbound('site', 'v1', 'Meu pedido não chegou', { contact: { name: 'Maria', phone: '+55 11 99999-0000' } });
    expect(r.protocol).toBe(proto('v1', 1));
    const t = w.ticket(r.ticketId);
    expect(t).toMatchObject({ status: 'waiting', sectorId: 'suporte', assigneeId: null, origin: 'agent', overflow: false, queuedAt: T0, protocol: proto('v1', 1) });
    expect(t.contact).toEqual({ name: 'Maria', phone: '+55 11 99999-0000', email: null });
    expect(t.lastMessage).toEqual({ text: 'Meu pedido não chegou', direction: 'in', at: T0 });
    expect(kinds(w.messages(t.id))).toEqual(['system:created', 'in']);
    expect(counter(w, 'tickets.waiting.sector.suporte')).toBe(1);

    const [v2] = sameShardAsV1(1);
    const second = await w.inbound('site', v2!, 'Oi');
    expect(second.protocol).toBe(proto('v1', 2));
    expect(second.ticketId).not.toBe(r.ticketId);
  });

  it('the daily sequence starts again the next day (in the workspace time zone)', async () => {
    const w = await makeWorld();
    const [v2, v3] = sameShardAsV1(2);
    await w.inbound('site', 'v1', 'Oi');
    // 23:30 in São Paulo is already the 24th in UTC, but still the 23rd there.
    w.setNow(Date.parse('2026-11-24T02:30:00Z'));
    expect((await w.inbound('site', v2!, 'Oi')).protocol).toBe(proto('v1', 2));
    w.setNow(Date.parse('2026-11-24T03:30:00Z'));
    expect((await w.inbound('site', v3!, 'Oi')).protocol).toBe(proto('v1', 1, '20261124'));
  });

  it('a channel without a default sector leaves the ticket with no sector', async () => {
    const w = await makeWorld();
    const t = w.ticket((await w.inbound('nosector', 'v1', 'Oi')).ticketId);
    expect(t).toMatchObject({ status: 'waiting', sectorId: null });
    expect(counter(w, 'tickets.waiting.sector.none')).toBe(1);
  });

  it('a second message joins the live ticket and counts as unread once someone serves it', async () => {
    const w = await makeWorld();
    const first = await w.inbound('site', 'v1', 'Oi');
    w.advance(MINUTE);
    const again = await w.inbound('site', 'v1', 'Alguém aí?');
    expect(again.ticketId).toBe(first.ticketId);
    expect(again.protocol).toBe(proto('v1', 1));
    expect(w.store.all('tickets')).toHaveLength(1);
    expect(w.store.all('contacts')).toHaveLength(1);
    expect(w.ticket(first.ticketId)).toMatchObject({ lastMessageAt: T0 + MINUTE, lastCustomerMessageAt: T0 + MINUTE, unread: 0, queuedAt: T0 });
    await w.run(staff('ana'), 'ticket.accept', { ticketId: first.ticketId });
    await w.inbound('site', 'v1', 'Obrigado');
    await w.inbound('site', 'v1', 'Mais uma coisa');
    expect(w.ticket(first.ticketId).unread).toBe(2);
    await w.run(staff('ana'), 'ticket.markRead', { ticketId: first.ticketId });
    expect(w.ticket(first.ticketId).unread).toBe(0);
  });

  it('the same customer on another channel gets another contact and ticket', async () => {
    const w = await makeWorld();
    const a = await w.inbound('site', '5511', 'Oi');
    const b = await w.inbound('zap2', '5511', 'Oi');
    expect(a.ticketId).not.toBe(b.ticketId);
    expect(w.store.all('contacts')).toHaveLength(2);
  });

  it('a repeated webhook (same channelMessageId) creates nothing twice', async () => {
    const w = await makeWorld();
    const input = { channelId: 'zap', externalId: '5511', channelMessageId: 'wamid.1', text: 'Oi' };
    const first = await w.run({ kind: 'system' }, 'inbound.receive', input);
    const before = w.dump();
    for (let i = 0; i < 3; i++) {
      const again = await w.run({ kind: 'system' }, 'inbound.receive', { ...input, text: 'changed text' });
      expect(again).toEqual({ ticketId: first.ticketId, messageId: first.messageId, duplicate: true });
    }
    expect(w.dump()).toBe(before);
    // The same message id on another channel is another message.
    const other = await w.run({ kind: 'system' }, 'inbound.receive', { ...input, channelId: 'site' });
    expect(other.duplicate).toBe(false);
  });

  it('web-chat customers write only to their own conversation, and their message ids cannot collide', async () => {
    const w = await makeWorld();
    await w.store.transaction(async (tx) => {
      for (const id of ['cA', 'cB'])
        tx.set(refs.contact(id), { id, name: id, phone: null, email: null, identityKeys: [`site:${id}`], tagIds: [], notes: '', createdAt: T0, updatedAt: T0 });
    });
    const as = (contactId: string, channelId = 'site') => ({ kind: 'customer', contactId, channelId }) as const;
    const say = (contactId: string, channelMessageId: string) =>
      w.run(as(contactId), 'inbound.receive', { channelId: 'site', externalId: contactId, channelMessageId, text: `oi de ${contactId}` });
    const a = await say('cA', 'client-1');
    const b = await say('cB', 'client-1');
    expect(b.duplicate).toBe(false);
    expect(b.ticketId).not.toBe(a.ticketId);
    expect(w.ticket(b.ticketId as string).contactId).toBe('cB');
    expect((await say('cA', 'client-1')).duplicate).toBe(true);
    await expectError(w.run(as('cA', 'zap'), 'inbound.receive', { channelId: 'site', externalId: 'cA', channelMessageId: 'x', text: 'oi' }), 'permission-denied');
    await expectError(w.run(as('ghost'), 'inbound.receive', { channelId: 'site', externalId: 'ghost', channelMessageId: 'y', text: 'oi' }), 'permission-denied');
  });

  it('refuses an unknown or inactive channel, naming channelId', async () => {
    const w = await makeWorld();
    const e = await expectError(w.inbound('nope', 'v1', 'Oi'), 'not-found', /nope/);
    expect(e.issues[0]?.path).toBe('channelId');
    await w.run(staff('alice'), 'channel.save', { id: 'site', type: 'webchat', name: 'Site', defaultSectorId: 'suporte', bot: { enabled: false, greeting: '', menu: [], invalidOption: '' }, active: false });
    const before = w.dump();
    await expectError(w.inbound('site', 'v1', 'Oi'), 'not-found');
    expect(w.dump()).toBe(before);
  });
});

describe('after closing (A6)', () => {
  it('a new message opens a new ticket with a new protocol, in Esperando', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    const r = await w.inbound('site', 'v1', 'Voltei');
    expect(r.ticketId).not.toBe(t.id);
    expect(r.protocol).toBe(proto('v1', 2));
    expect(w.ticket(r.ticketId)).toMatchObject({ status: 'waiting', sectorId: 'suporte', contactId: t.contactId });
    expect(w.ticket(t.id).status).toBe('closed');
  });

  it.each([true, false])('with botOnNewTicket=%s the bot greets the returning customer accordingly', async (botOnNewTicket) => {
    const w = await makeWorld({ botOnNewTicket });
    const first = await w.inbound('zap', '5511', 'Oi');
    expect(w.ticket(first.ticketId).status).toBe('bot');
    await w.inbound('zap', '5511', '1');
    await w.run(staff('ana'), 'ticket.accept', { ticketId: first.ticketId });
    await w.run(staff('ana'), 'ticket.close', { ticketId: first.ticketId });
    const again = await w.inbound('zap', '5511', 'Oi de novo');
    const t = w.ticket(again.ticketId);
    if (botOnNewTicket) {
      expect(t).toMatchObject({ status: 'bot', sectorId: null, origin: 'bot', queuedAt: null });
      expect(automatedTexts(w, t.id)).toHaveLength(1);
    } else {
      expect(t).toMatchObject({ status: 'waiting', sectorId: 'suporte', origin: 'agent', queuedAt: T0 });
      expect(automatedTexts(w, t.id)).toEqual([]);
    }
  });
});

describe('bot menu (D1)', () => {
  it('greets with the menu, repeats it on an invalid answer, routes on a valid one', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap', '5511', 'Oi');
    expect(w.ticket(ticketId)).toMatchObject({ status: 'bot', sectorId: null, origin: 'bot', queuedAt: null });
    expect(automatedTexts(w, ticketId)).toEqual(['Olá! Escolha uma opção:\n1 - Suporte\n2 - Financeiro']);
    // Each automated message carries its own pending delivery (no outbox document beside it).
    expect(w.messages(ticketId).filter((m) => m.automated).map((m) => m.delivery)).toEqual([{ attempts: 0, dueAt: T0, doneAt: null, lastError: null }]);
    // Nobody shows a count of tickets at the bot: none is kept (each would cost a write per move on Firestore).
    expect(w.store.all('counters').filter((c) => c.id.startsWith('tickets.bot.'))).toEqual([]);

    w.advance(MINUTE);
    await w.inbound('zap', '5511', 'banana');
    expect(w.ticket(ticketId).status).toBe('bot');
    expect(automatedTexts(w, ticketId).at(-1)).toBe('Não entendi.\nOlá! Escolha uma opção:\n1 - Suporte\n2 - Financeiro');

    w.advance(MINUTE);
    await w.inbound('zap', '5511', ' 2 ');
    expect(w.ticket(ticketId)).toMatchObject({ status: 'waiting', sectorId: 'financeiro', overflow: false, queuedAt: T0 + 2 * MINUTE });
    expect(automatedTexts(w, ticketId)).toHaveLength(2);
    expect(counter(w, 'tickets.bot.sector.none')).toBe(0);
    expect(counter(w, 'tickets.waiting.sector.financeiro')).toBe(1);
    // The thread reads in order: the customer's answer, then the transfer it caused.
    expect(kinds(w.messages(ticketId))).toEqual(['system:created', 'in', 'out:bot', 'in', 'out:bot', 'in', 'system:transferred']);
    expect(w.messages(ticketId).at(-1)?.event).toMatchObject({ kind: 'transferred', fromSectorId: null, toSectorId: 'financeiro' });
  });

  it('a bot switched off mid-conversation hands its tickets over to the default sector', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap', '5511', 'Oi');
    const zap = w.store.all('channels').find((c) => c.id === 'zap')!;
    const { updatedAt: _updatedAt, ...input } = zap;
    await w.run(staff('alice'), 'channel.save', { ...input, bot: { ...zap.bot, enabled: false } });
    await w.inbound('zap', '5511', 'Alô?');
    expect(w.ticket(ticketId)).toMatchObject({ status: 'waiting', sectorId: 'suporte', queuedAt: T0 });
    expect(automatedTexts(w, ticketId)).toHaveLength(1);
    expect(w.messages(ticketId).at(-1)?.event).toMatchObject({ kind: 'transferred', toSectorId: 'suporte' });
  });

  it('an option may be answered by its label, in any case', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap', '5511', 'Oi');
    await w.inbound('zap', '5511', 'SUPORTE');
    expect(w.ticket(ticketId)).toMatchObject({ status: 'waiting', sectorId: 'suporte' });
  });
});

describe('overflow (C5)', () => {
  it('a sector with nobody online sends new tickets to its overflow sector, flagged', async () => {
    const w = await makeWorld();
    await w.run(staff('ana'), 'presence.set', { presence: 'paused' });
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    expect(w.ticket(ticketId)).toMatchObject({ status: 'waiting', sectorId: 'financeiro', overflow: true });
    expect(counter(w, 'tickets.waiting.sector.financeiro')).toBe(1);
    expect(counter(w, 'tickets.waiting.sector.suporte')).toBe(0);
  });

  it('applies to the bot routing too, and not when someone is online or there is no overflow sector', async () => {
    const w = await makeWorld();
    await w.run(staff('ana'), 'presence.set', { presence: 'offline' });
    const viaBot = await w.inbound('zap', '5511', 'Oi');
    await w.inbound('zap', '5511', '1');
    expect(w.ticket(viaBot.ticketId)).toMatchObject({ sectorId: 'financeiro', overflow: true });
    // Vendas has nobody and no overflow sector: it stays there, and who is online is not even asked.
    const asked: string[] = [];
    const transaction = w.store.transaction.bind(w.store);
    w.store.transaction = (fn) => transaction((tx) => fn({ ...tx, query: (spec) => (asked.push(spec.collection), tx.query(spec)) } as typeof tx));
    const vendas = await w.inbound('vendas-site', 'v9', 'Oi');
    w.store.transaction = transaction;
    expect(w.ticket(vendas.ticketId)).toMatchObject({ sectorId: 'vendas', overflow: false });
    expect(asked).not.toContain('users');
    await w.run(staff('ana'), 'presence.set', { presence: 'online' });
    const back = await w.inbound('site', 'v2', 'Oi');
    expect(w.ticket(back.ticketId)).toMatchObject({ sectorId: 'suporte', overflow: false });
  });
});

describe('accept (A4)', () => {
  it('assigns the ticket and records it; a second agent is told someone else has it', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    w.advance(MINUTE);
    const r = await w.run(staff('ana'), 'ticket.accept', { ticketId: t.id });
    expect(r.ticket).toMatchObject({ status: 'open', assigneeId: 'ana', acceptedAt: T0 + MINUTE });
    expect(kinds(w.messages(t.id)).at(-1)).toBe('system:accepted');
    expect(counter(w, 'tickets.waiting.sector.suporte')).toBe(0);
    expect(counter(w, 'tickets.open.sector.suporte')).toBe(1);
    expect(counter(w, 'tickets.open.assignee.ana')).toBe(1);

    const before = w.dump();
    await expectError(w.run(staff('carla'), 'ticket.accept', { ticketId: t.id }), 'failed-precondition', 'Someone else has already taken this ticket');
    // Accepting what I already have changes nothing.
    await w.run(staff('ana'), 'ticket.accept', { ticketId: t.id });
    expect(w.dump()).toBe(before);
  });

  it('fifty agents racing for one ticket: exactly one wins', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    const racers = Array.from({ length: 50 }, (_, i) => ({ ...staff('carla'), uid: `agent${i}`, name: `Agent ${i}` }));
    const results = await Promise.allSettled(racers.map((a) => w.run(a, 'ticket.accept', { ticketId: t.id })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ ticket: Ticket }>).value.ticket.assigneeId;
    expect(w.ticket(t.id).assigneeId).toBe(winner);
    expect(w.messages(t.id).filter((m) => m.event?.kind === 'accepted')).toHaveLength(1);
    expect(counter(w, 'tickets.open.sector.suporte')).toBe(1);
  });

  it('only a waiting ticket can be taken', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap', '5511', 'Oi');
    await expectError(w.run(staff('alice'), 'ticket.accept', { ticketId }), 'failed-precondition', /bot/);
    await expectError(w.run(staff('ana'), 'ticket.accept', { ticketId: 'nope' }), 'not-found', /nope/);
  });
});

describe('send', () => {
  it('needs the ticket taken, and not closed', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    await expectError(w.run(staff('ana'), 'message.send', { ticketId: t.id, text: 'Oi' }), 'failed-precondition', /Atender/);
    await w.run(staff('ana'), 'ticket.accept', { ticketId: t.id });
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    await expectError(w.run(staff('ana'), 'message.send', { ticketId: t.id, text: 'Oi' }), 'failed-precondition', /closed/);
    await expectError(w.run(staff('carla'), 'message.send', { ticketId: (await served(w, 'ana', 'v2')).id, text: 'Oi' }), 'permission-denied', /someone else/);
  });

  it('writes the message, its delivery and the preview; a retry with the same clientId returns the same message', async () => {
    const w = await makeWorld();
    const t = await served(w);
    w.advance(MINUTE);
    const first = (await w.run(staff('ana'), 'message.send', { ticketId: t.id, text: 'Olá!', clientId: 'c-1' })).message as Message;
    // A web-chat reply needs no carrier: it is written delivered, its delivery done (core/src/outbox/state.ts addOutbound).
    expect(first).toMatchObject({ direction: 'out', authorId: 'ana', status: 'delivered', clientId: 'c-1', createdAt: T0 + MINUTE });
    expect(w.ticket(t.id).lastMessage).toEqual({ text: 'Olá!', direction: 'out', at: T0 + MINUTE });
    const before = w.dump();
    w.advance(MINUTE);
    const retry = (await w.run(staff('ana'), 'message.send', { ticketId: t.id, text: 'Olá!', clientId: 'c-1' })).message as Message;
    expect(retry).toEqual(first);
    expect(w.dump()).toBe(before);
    expect(first.delivery).toEqual({ attempts: 1, dueAt: null, doneAt: T0 + MINUTE, lastError: null });
  });
});

describe('transfer (C1)', () => {
  it('to a sector that does not exist: not-found naming sectorId', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    const e = await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, sectorId: 'marketing' }), 'not-found', /marketing/);
    expect(e.issues).toEqual([{ path: 'sectorId', message: expect.any(String) }]);
    const e2 = await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id }), 'invalid-argument');
    expect(e2.issues.map((i) => i.path)).toEqual(['sectorId']);
  });

  it('to an agent outside the target sector: failed-precondition saying who is not where', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    const before = w.dump();
    const e = await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro', assigneeId: 'ana' }), 'failed-precondition', 'Ana is not in the sector Financeiro');
    expect(e.issues).toEqual([{ path: 'assigneeId', message: expect.any(String) }]);
    expect(w.dump()).toBe(before);
    await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, assigneeId: 'ghost' }), 'not-found', /ghost/);
  });

  it('to an agent: in service, assigned to them, in the same sector', async () => {
    const w = await makeWorld();
    const t = await waiting(w);
    w.advance(MINUTE);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, assigneeId: 'carla' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'carla', sectorId: 'suporte', acceptedAt: T0 + MINUTE, queuedAt: null });
    expect(w.messages(t.id).at(-1)?.event).toMatchObject({ kind: 'transferred', actorName: 'Ana', fromSectorId: 'suporte', toSectorId: 'suporte', toAssigneeId: 'carla' });
    expect(counter(w, 'tickets.open.assignee.carla')).toBe(1);
    expect(counter(w, 'tickets.waiting.sector.suporte')).toBe(0);
  });

  it('to an agent of another sector, naming no sector: the ticket follows them to their sector', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, assigneeId: 'bruno' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'bruno', sectorId: 'financeiro' });
    expect(counter(w, 'tickets.open.assignee.ana')).toBe(0);
    expect(counter(w, 'tickets.open.sector.financeiro')).toBe(1);
  });

  it('to an agent and a sector together', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro', assigneeId: 'carla' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'carla', sectorId: 'financeiro' });
  });

  it('to an admin, naming no sector: the ticket keeps its sector (admins serve every sector)', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, assigneeId: 'alice' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'alice', sectorId: 'suporte' });
    // An admin may also be given a ticket in a sector they are not in.
    await w.run(staff('alice'), 'ticket.transfer', { ticketId: t.id, sectorId: 'vendas', assigneeId: 'alice' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'alice', sectorId: 'vendas' });
  });

  it('to an agent in no sector at all is refused', async () => {
    const w = await makeWorld();
    await w.run(staff('alice'), 'user.save', { id: 'dora', name: 'Dora', email: 'dora@test.local', role: 'agent', sectorIds: [], seesAllHistory: false, active: true });
    const t = await served(w);
    await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, assigneeId: 'dora' }), 'failed-precondition', /Dora/);
    expect(w.ticket(t.id)).toMatchObject({ assigneeId: 'ana', sectorId: 'suporte' });
  });

  it('to a sector: back to Esperando there, unassigned, clearing the overflow flag', async () => {
    const w = await makeWorld();
    await w.run(staff('ana'), 'presence.set', { presence: 'offline' });
    const t = await waiting(w);
    expect(w.ticket(t.id).overflow).toBe(true);
    await w.run(staff('bruno'), 'ticket.accept', { ticketId: t.id });
    w.advance(MINUTE);
    await w.run(staff('bruno'), 'ticket.transfer', { ticketId: t.id, sectorId: 'suporte' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'waiting', sectorId: 'suporte', assigneeId: null, overflow: false, queuedAt: T0 + MINUTE, acceptedAt: null });
    // Bruno no longer sees it, and may no longer act on it.
    await expectError(w.run(staff('bruno'), 'ticket.close', { ticketId: t.id }), 'permission-denied');
  });

  it('to the sector it is already in changes neither status nor assignee', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, sectorId: 'suporte' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'ana', sectorId: 'suporte' });
  });

  it('to another channel of the same type only', async () => {
    const w = await makeWorld();
    const t = await served(w);
    const e = await expectError(w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, channelId: 'zap' }), 'failed-precondition', /whatsapp/);
    expect(e.issues[0]?.path).toBe('channelId');
    await w.run(staff('ana'), 'ticket.transfer', { ticketId: t.id, channelId: 'nosector' });
    expect(w.ticket(t.id)).toMatchObject({ channelId: 'nosector', status: 'open', assigneeId: 'ana', sectorId: 'suporte' });
  });

  it('to another channel: the customer’s replies there join the same ticket', async () => {
    const w = await makeWorld();
    const { ticketId } = await w.inbound('zap2', '5511', 'Oi');
    await w.run(staff('alice'), 'ticket.accept', { ticketId });
    await w.run(staff('alice'), 'ticket.transfer', { ticketId, channelId: 'zap' });
    expect(w.ticket(ticketId)).toMatchObject({ channelId: 'zap', status: 'open', assigneeId: 'alice' });
    const reply = await w.inbound('zap', '5511', 'Recebi pelo outro número');
    expect(reply.ticketId).toBe(ticketId);
    expect(w.store.all('contacts')).toHaveLength(1);
    expect(w.store.all('contacts')[0]?.identityKeys.sort()).toEqual(['zap2:5511', 'zap:5511']);
  });

  it('to another channel where the contact already has a live ticket, or to an inactive channel, is refused', async () => {
    const w = await makeWorld();
    const a = await w.inbound('site', 'v1', 'Oi');
    const contactId = w.ticket(a.ticketId).contactId;
    // The same contact, known on the other web-chat channel too, with a ticket there.
    await w.store.transaction(async (tx) => {
      const c = await tx.get(refs.contact(contactId));
      tx.set(refs.contact(contactId), { ...c!, identityKeys: [...c!.identityKeys, 'nosector:v1'] });
    });
    const b = await w.inbound('nosector', 'v1', 'Oi');
    expect(w.ticket(b.ticketId).contactId).toBe(contactId);
    await expectError(w.run(staff('alice'), 'ticket.transfer', { ticketId: a.ticketId, channelId: 'nosector' }), 'failed-precondition', new RegExp(w.ticket(b.ticketId).protocol));
    await w.run(staff('alice'), 'ticket.close', { ticketId: b.ticketId });
    await w.run(staff('alice'), 'channel.save', { id: 'vendas-site', type: 'webchat', name: 'Vendas', defaultSectorId: 'vendas', bot: menuBot(false), active: false });
    await expectError(w.run(staff('alice'), 'ticket.transfer', { ticketId: a.ticketId, channelId: 'vendas-site' }), 'failed-precondition', /inactive/);
    await w.run(staff('alice'), 'ticket.transfer', { ticketId: a.ticketId, channelId: 'nosector' });
    expect(w.ticket(a.ticketId).channelId).toBe('nosector');
  });

  it('neither closed tickets nor someone else’s', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await expectError(w.run(staff('carla'), 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro' }), 'permission-denied');
    // The supervisor of the sector may (C2).
    await w.run(staff('sergio'), 'ticket.transfer', { ticketId: t.id, sectorId: 'financeiro' });
    await w.run(staff('bruno'), 'ticket.accept', { ticketId: t.id });
    await w.run(staff('bruno'), 'ticket.close', { ticketId: t.id });
    await expectError(w.run(staff('bruno'), 'ticket.transfer', { ticketId: t.id, sectorId: 'suporte' }), 'failed-precondition', /transferred/);
  });
});

describe('return to queue, close, reopen (A5, A7)', () => {
  it('return to queue: back to Esperando, unassigned, waiting clock restarted', async () => {
    const w = await makeWorld();
    const t = await served(w);
    w.advance(5 * MINUTE);
    await w.run(staff('ana'), 'ticket.returnToQueue', { ticketId: t.id });
    expect(w.ticket(t.id)).toMatchObject({ status: 'waiting', assigneeId: null, queuedAt: T0 + 5 * MINUTE, acceptedAt: null, sectorId: 'suporte' });
    expect(kinds(w.messages(t.id)).at(-1)).toBe('system:returned');
    await expectError(w.run(staff('ana'), 'ticket.returnToQueue', { ticketId: t.id }), 'failed-precondition');
  });

  it('close from Esperando or from service, with a classification that must exist', async () => {
    const w = await makeWorld({ closingMessage: 'Obrigado pelo contato!' });
    const t = await waiting(w);
    const e = await expectError(w.run(staff('ana'), 'ticket.close', { ticketId: t.id, classificationId: 'nope' }), 'not-found');
    expect(e.issues[0]?.path).toBe('classificationId');
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id, classificationId: 'duvida' });
    expect(w.ticket(t.id)).toMatchObject({ status: 'closed', closedBy: 'ana', closedAt: T0, classificationId: 'duvida', queuedAt: null });
    // Nobody served it: no closing message.
    expect(automatedTexts(w, t.id)).toEqual([]);
    // Closed from Esperando it has no assignee: the agent may no longer act on it, the supervisor is told why not.
    await expectError(w.run(staff('ana'), 'ticket.close', { ticketId: t.id }), 'permission-denied');
    await expectError(w.run(staff('sergio'), 'ticket.close', { ticketId: t.id }), 'failed-precondition', /already closed/);

    const s = await served(w, 'ana', 'v2');
    await w.run(staff('ana'), 'ticket.close', { ticketId: s.id });
    expect(automatedTexts(w, s.id)).toEqual(['Obrigado pelo contato!']);
    expect(counter(w, 'tickets.closed.sector.suporte')).toBe(2);
    // An agent's closed tickets are counted by nobody (Encerrados counts per sector).
    expect(w.store.all('counters').filter((c) => c.id.startsWith('tickets.closed.assignee.'))).toEqual([]);
  });

  it('closing from Esperando sends the closing message when the setting says so (D2)', async () => {
    const w = await makeWorld({ closingMessage: 'Obrigado pelo contato!', closingMessageFromWaiting: true });
    const t = await waiting(w);
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    expect(automatedTexts(w, t.id)).toEqual(['Obrigado pelo contato!']);
  });

  it('reopen: back in service with whoever reopened it', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    await expectError(w.run(staff('bruno'), 'ticket.reopen', { ticketId: t.id }), 'permission-denied');
    w.advance(MINUTE);
    await w.run(staff('carla'), 'ticket.reopen', { ticketId: t.id });
    expect(w.ticket(t.id)).toMatchObject({ status: 'open', assigneeId: 'carla', closedAt: null, closedBy: null, acceptedAt: T0 + MINUTE, protocol: proto('v1', 1) });
    expect(counter(w, 'tickets.closed.assignee.ana')).toBe(0);
    expect(counter(w, 'tickets.open.assignee.carla')).toBe(1);
    await expectError(w.run(staff('carla'), 'ticket.reopen', { ticketId: t.id }), 'failed-precondition', /closed/);
  });

  it('reopen is refused while the contact has another live ticket on the channel', async () => {
    const w = await makeWorld();
    const t = await served(w);
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    const r = await w.inbound('site', 'v1', 'Voltei');
    const before = w.dump();
    await expectError(w.run(staff('ana'), 'ticket.reopen', { ticketId: t.id }), 'failed-precondition', new RegExp(`${r.protocol}`));
    expect(w.dump()).toBe(before);
  });
});

describe('classify and tags (B10, B11)', () => {
  it('validate against the documents that exist, and may follow the ticket after closing', async () => {
    const w = await makeWorld();
    const t = await served(w);
    const e = await expectError(w.run(staff('ana'), 'ticket.setTags', { ticketId: t.id, tagIds: ['vip', 'ghost'] }), 'not-found', /ghost/);
    expect(e.issues).toEqual([{ path: 'tagIds.1', message: expect.any(String) }]);
    await w.run(staff('ana'), 'ticket.setTags', { ticketId: t.id, tagIds: ['vip', 'novo', 'vip'] });
    expect(w.ticket(t.id).tagIds).toEqual(['vip', 'novo']);
    const c = await expectError(w.run(staff('ana'), 'ticket.classify', { ticketId: t.id, classificationId: 'ghost' }), 'not-found');
    expect(c.issues[0]?.path).toBe('classificationId');
    await w.run(staff('ana'), 'ticket.close', { ticketId: t.id });
    await w.run(staff('ana'), 'ticket.classify', { ticketId: t.id, classificationId: 'duvida' });
    expect(w.ticket(t.id).classificationId).toBe('duvida');
    await expectError(w.run(staff('bruno'), 'ticket.classify', { ticketId: t.id, classificationId: null }), 'permission-denied');
    await w.run(staff('ana'), 'ticket.classify', { ticketId: t.id, classificationId: null });
    expect(w.ticket(t.id).classificationId).toBeNull();
  });
});

describe('business hours (D5) and prioritise human (D6)', () => {
  const hours = (prioritiseHuman: boolean) => ({
    prioritiseHuman,
    businessHours: { ...defaultSettings(T0).businessHours, enabled: true, outsideMessage: 'Estamos fechados.' },
  });
  const SATURDAY = Date.parse('2026-11-28T13:00:00Z');
  const MONDAY_NIGHT = Date.parse('2026-11-23T23:00:00Z'); // 20:00 in São Paulo

  it('inside business hours, no automatic notice', async () => {
    const w = await makeWorld(hours(true));
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    expect(automatedTexts(w, ticketId)).toEqual([]);
  });

  it('outside them, a new ticket gets the notice once, after the customer’s message', async () => {
    const w = await makeWorld(hours(true));
    w.setNow(SATURDAY);
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    expect(kinds(w.messages(ticketId))).toEqual(['system:created', 'in', 'out:bot']);
    expect(automatedTexts(w, ticketId)).toEqual(['Estamos fechados.']);
    w.advance(MINUTE);
    await w.inbound('site', 'v1', 'Alô?');
    expect(automatedTexts(w, ticketId)).toEqual(['Estamos fechados.']);
  });

  it('a holiday counts as closed', async () => {
    const w = await makeWorld({ businessHours: { ...hours(true).businessHours, holidays: ['2026-11-23'] } });
    const { ticketId } = await w.inbound('site', 'v1', 'Oi');
    expect(automatedTexts(w, ticketId)).toEqual(['Estamos fechados.']);
  });

  it('a live ticket whose customer writes again after closing time gets the notice, unless a human serves it and humans come first', async () => {
    for (const prioritiseHuman of [true, false]) {
      const w = await makeWorld(hours(prioritiseHuman));
      const t = await served(w); // Monday 10:00, open
      const q = await waiting(w, 'v2');
      w.setNow(MONDAY_NIGHT);
      await w.inbound('site', 'v1', 'Ainda aí?');
      await w.inbound('site', 'v2', 'Ainda aí?');
      expect(automatedTexts(w, t.id), `served, prioritiseHuman=${prioritiseHuman}`).toEqual(prioritiseHuman ? [] : ['Estamos fechados.']);
      expect(automatedTexts(w, q.id), `waiting, prioritiseHuman=${prioritiseHuman}`).toEqual(['Estamos fechados.']);
    }
  });
});
