import { describe, expect, it } from 'vitest';
import { catalogue, isCommandError, policy, resolveSubscription, runQuery, type Actor, type Ticket } from '../src/index.ts';
import { expectError, makeWorld, staff } from './support.ts';

/**
 * A small world: a Suporte ticket in service with Ana, a waiting Financeiro
 * ticket, a closed Financeiro ticket, a waiting ticket with no sector, and a
 * web-chat customer with their own ticket.
 */
const setup = async () => {
  const w = await makeWorld();
  const suporte = (await w.inbound('site', 'v1', 'Oi')).ticketId;
  await w.run(staff('ana'), 'ticket.accept', { ticketId: suporte });
  const financeiro = (await w.inbound('site', 'v2', 'Oi')).ticketId;
  await w.run(staff('carla'), 'ticket.transfer', { ticketId: financeiro, sectorId: 'financeiro' });
  const closed = (await w.inbound('site', 'v3', 'Oi')).ticketId;
  await w.run(staff('carla'), 'ticket.transfer', { ticketId: closed, sectorId: 'financeiro' });
  await w.run(staff('bruno'), 'ticket.accept', { ticketId: closed });
  await w.run(staff('bruno'), 'ticket.close', { ticketId: closed });
  const none = (await w.inbound('nosector', 'v4', 'Oi')).ticketId;
  const mine = w.ticket(suporte);
  const customer: Actor = { kind: 'customer', contactId: mine.contactId, channelId: mine.channelId };
  return { w, ids: { suporte, financeiro, closed, none }, contactId: mine.contactId, customer };
};

type Who = 'agent' | 'supervisor' | 'admin' | 'customer' | 'historian';
type Ids = Awaited<ReturnType<typeof setup>>['ids'];
/** [who, params, refusal expected (a pattern of the reason) or null when allowed]. */
type Case = [Who, (ids: Ids, contactId: string) => unknown, RegExp | null];

const ALL_STAFF: Case[] = [
  ['agent', () => ({}), null],
  ['supervisor', () => ({}), null],
  ['admin', () => ({}), null],
  ['customer', () => ({}), /only staff/],
];

/** Every catalogue entry: allowed and refused calls for each role. */
const CASES: Record<string, Case[]> = {
  'tickets.waiting': [
    ['agent', () => ({ sectorIds: ['suporte'] }), null],
    ['agent', () => ({ sectorIds: ['suporte', 'financeiro'] }), /not in sector financeiro/],
    ['agent', () => ({}), /name the sectors/],
    ['agent', () => ({ sectorIds: 'visible' }), null],
    ['supervisor', () => ({ sectorIds: ['suporte'] }), null],
    ['supervisor', () => ({ sectorIds: ['vendas'] }), /vendas/],
    ['admin', () => ({}), null],
    ['admin', () => ({ sectorIds: ['vendas'] }), null],
    ['customer', () => ({ sectorIds: ['suporte'] }), /only staff/],
  ],
  'tickets.open': [
    ['agent', () => ({ sectorIds: ['suporte'] }), null],
    ['agent', () => ({ sectorIds: ['financeiro'] }), /financeiro/],
    ['supervisor', () => ({ sectorIds: ['suporte'] }), null],
    ['supervisor', () => ({}), /name the sectors/],
    ['admin', () => ({}), null],
    ['customer', () => ({}), /only staff/],
  ],
  'tickets.closed': [
    ['agent', () => ({ sectorIds: ['suporte'] }), null],
    ['agent', () => ({ sectorIds: ['financeiro'] }), /financeiro/],
    ['agent', () => ({}), /name the sectors/],
    ['historian', () => ({}), null],
    ['historian', () => ({ sectorIds: ['financeiro'] }), null],
    ['supervisor', () => ({ sectorIds: ['suporte'], before: 5 }), null],
    ['supervisor', () => ({ sectorIds: ['vendas'] }), /vendas/],
    ['admin', () => ({}), null],
    ['customer', () => ({}), /only staff/],
  ],
  // More cases in catalogue.history.test.ts.
  'tickets.history': [
    ['agent', () => ({ sectorIds: ['suporte'], classificationId: 'duvida' }), null],
    ['agent', () => ({ sectorIds: ['financeiro'] }), /financeiro/],
    ['historian', () => ({}), null],
    ['customer', () => ({}), /only staff/],
  ],
  'tickets.mine': [
    ['agent', () => ({}), null],
    ['agent', () => ({ status: 'closed' }), null],
    ['supervisor', () => ({}), null],
    ['admin', () => ({ status: 'open' }), null],
    ['customer', () => ({}), /only staff/],
  ],
  'tickets.ofContact': [
    ['agent', (_i, c) => ({ contactId: c, sectorIds: ['suporte'] }), null],
    ['agent', (_i, c) => ({ contactId: c }), /name the sectors/],
    ['agent', (_i, c) => ({ contactId: c, closedOnly: true }), /name the sectors/],
    ['historian', (_i, c) => ({ contactId: c, closedOnly: true }), null],
    ['historian', (_i, c) => ({ contactId: c }), /name the sectors/],
    ['supervisor', (_i, c) => ({ contactId: c, sectorIds: ['financeiro'] }), /financeiro/],
    ['admin', (_i, c) => ({ contactId: c }), null],
    ['customer', (_i, c) => ({ contactId: c }), /only staff/],
  ],
  ticket: [
    ['agent', (i) => ({ id: i.suporte }), null],
    ['agent', (i) => ({ id: i.financeiro }), /cannot see/],
    ['agent', (i) => ({ id: i.none }), /cannot see/],
    ['historian', (i) => ({ id: i.closed }), null],
    ['historian', (i) => ({ id: i.financeiro }), /cannot see/],
    ['supervisor', (i) => ({ id: i.suporte }), null],
    ['supervisor', (i) => ({ id: i.closed }), /cannot see/],
    ['admin', (i) => ({ id: i.none }), null],
    ['admin', () => ({ id: 'ghost' }), /does not exist/],
    ['customer', (i) => ({ id: i.suporte }), null],
    ['customer', (i) => ({ id: i.financeiro }), /cannot see/],
  ],
  'messages.ofTicket': [
    ['agent', (i) => ({ ticketId: i.suporte }), null],
    ['agent', (i) => ({ ticketId: i.financeiro }), /cannot see/],
    ['supervisor', (i) => ({ ticketId: i.suporte, before: 10 }), null],
    ['supervisor', (i) => ({ ticketId: i.suporte, after: 10 }), null],
    ['supervisor', (i) => ({ ticketId: i.none }), /cannot see/],
    ['admin', (i) => ({ ticketId: i.none }), null],
    ['customer', (i) => ({ ticketId: i.suporte }), /customer\.messages/],
  ],
  'messages.revisedOfTicket': [
    ['agent', (i) => ({ ticketId: i.suporte }), null],
    ['agent', (i) => ({ ticketId: i.financeiro }), /cannot see/],
    ['supervisor', (i) => ({ ticketId: i.suporte, limit: 20 }), null],
    ['supervisor', (i) => ({ ticketId: i.none }), /cannot see/],
    ['admin', (i) => ({ ticketId: i.none }), null],
    ['customer', (i) => ({ ticketId: i.suporte }), /customer\.messages/],
  ],
  contact: [
    ['agent', (_i, c) => ({ id: c }), null],
    ['supervisor', (_i, c) => ({ id: c }), null],
    ['admin', (_i, c) => ({ id: c }), null],
    ['customer', (_i, c) => ({ id: c }), /only staff/],
  ],
  'contacts.search': [
    ['agent', () => ({ prefix: 'v' }), null],
    ['supervisor', () => ({ prefix: 'v' }), null],
    ['admin', () => ({ prefix: 'v', limit: 5 }), null],
    ['customer', () => ({ prefix: 'v' }), /only staff/],
  ],
  counters: [
    ['agent', () => ({ ids: ['tickets.waiting.sector.suporte'] }), null],
    ['supervisor', () => ({ ids: ['tickets.waiting.sector.financeiro'] }), null],
    ['admin', () => ({ ids: ['tickets.open.assignee.ana'] }), null],
    ['customer', () => ({ ids: ['tickets.waiting.sector.suporte'] }), /only staff/],
  ],
  settings: ALL_STAFF,
  'users.all': ALL_STAFF,
  'sectors.all': ALL_STAFF,
  'channels.all': ALL_STAFF,
  'tags.all': ALL_STAFF,
  'classifications.all': ALL_STAFF,
  'quickReplies.all': ALL_STAFF,
  'stats.range': [
    ['agent', () => ({ period: 'day', from: '2026-01-01', to: '2026-01-31', sectorIds: ['suporte'] }), /only supervisors and admins/],
    ['supervisor', () => ({ period: 'day', from: '2026-01-01', to: '2026-01-31', sectorIds: ['suporte'] }), null],
    ['supervisor', () => ({ period: 'month', from: '2026-01', to: '2026-12', sectorIds: ['financeiro'] }), /do not supervise sector financeiro/],
    ['supervisor', () => ({ period: 'day', from: '2026-01-01', to: '2026-01-31' }), /name the sectors/],
    ['admin', () => ({ period: 'month', from: '2026-01', to: '2026-12' }), null],
    ['customer', () => ({ period: 'day', from: '2026-01-01', to: '2026-01-31', sectorIds: ['suporte'] }), /only staff/],
  ],
  'pauseReasons.all': ALL_STAFF,
  'templates.all': ALL_STAFF,
  'customer.tickets': [
    ['customer', () => ({}), null],
    ['agent', () => ({}), /web-chat customers/],
    ['supervisor', () => ({}), /web-chat customers/],
    ['admin', () => ({}), /web-chat customers/],
  ],
  'customer.messages': [
    ['customer', (i) => ({ ticketId: i.suporte }), null],
    ['customer', (i) => ({ ticketId: i.closed }), /cannot see/],
    ['agent', (i) => ({ ticketId: i.suporte }), /web-chat customers/],
    ['supervisor', (i) => ({ ticketId: i.suporte }), /web-chat customers/],
    ['admin', (i) => ({ ticketId: i.suporte }), /web-chat customers/],
  ],
};

const actorOf = (who: Who, customer: Actor): Actor =>
  who === 'customer'
    ? customer
    : who === 'historian'
      ? { ...staff('ana'), seesAllHistory: true }
      : staff({ agent: 'ana', supervisor: 'sergio', admin: 'alice' }[who]);

describe('live-query catalogue authorization', async () => {
  const { w, ids, contactId, customer } = await setup();

  it('every catalogue entry has cases here, allowed and refused', () => {
    expect(Object.keys(CASES).sort()).toEqual(catalogue.map((q) => q.name).sort());
    for (const [name, cases] of Object.entries(CASES)) {
      expect(cases.some((c) => c[2] === null), `${name}: an allowed call`).toBe(true);
      expect(cases.some((c) => c[2] !== null), `${name}: a refused call`).toBe(true);
    }
  });

  const rows = Object.entries(CASES).flatMap(([name, cases]) => cases.map(([who, params, refusal]) => ({ name, who, params, refusal, verdict: refusal ? 'refused' : 'allowed' })));
  it.each(rows)('$name as $who: $verdict', async ({ name, who, params, refusal }) => {
    const p = resolveSubscription(actorOf(who, customer), name, params(ids, contactId), w.reader);
    if (refusal === null) await expect(p).resolves.toBeTruthy();
    else await expectError(p, 'permission-denied', refusal);
  });

  it('unknown queries and bad parameters are invalid-argument, naming what is wrong', async () => {
    await expectError(resolveSubscription(staff('ana'), 'tickets.everything', {}, w.reader), 'invalid-argument', /tickets\.everything/);
    const e = await expectError(resolveSubscription(staff('ana'), 'tickets.waiting', { sectorIds: ['suporte'], limit: 0 }, w.reader), 'invalid-argument');
    expect(e.issues.map((i) => i.path)).toEqual(['limit']);
    const tooMany = await expectError(resolveSubscription(staff('alice'), 'tickets.waiting', { sectorIds: Array.from({ length: 31 }, (_, i) => `s${i}`) }, w.reader), 'invalid-argument');
    expect(tooMany.issues.map((i) => i.path)).toEqual(['sectorIds']);
    const unknownScope = await expectError(resolveSubscription(staff('ana'), 'tickets.waiting', { sectorIds: 'all' }, w.reader), 'invalid-argument');
    expect(unknownScope.issues.map((i) => i.path)).toEqual(['sectorIds']);
    const badId = await expectError(resolveSubscription(staff('ana'), 'ticket', { id: '../x' }, w.reader), 'invalid-argument');
    expect(badId.issues.map((i) => i.path)).toEqual(['id']);
  });

  it('a query carries the filters that make it provable: my sectors, or me', async () => {
    const waiting = await resolveSubscription(staff('ana'), 'tickets.waiting', { sectorIds: ['suporte'] }, w.reader);
    expect(waiting).toMatchObject({ kind: 'query', spec: { collection: 'tickets', where: [['status', '==', 'waiting'], ['sectorId', 'in', ['suporte']]], orderBy: [['queuedAt', 'asc']] } });
    const mine = await resolveSubscription(staff('ana'), 'tickets.mine', {}, w.reader);
    expect(mine).toMatchObject({ kind: 'query', spec: { where: [['assigneeId', '==', 'ana'], ['status', '==', 'open']] } });
    const thread = await resolveSubscription(customer, 'customer.messages', { ticketId: ids.suporte }, w.reader);
    expect(thread).toMatchObject({ kind: 'query', spec: { collection: 'messages', parentId: ids.suporte, where: [['direction', 'in', ['in', 'out']]] } });
  });

  it("sectorIds 'visible' is the actor's sectors when it is resolved: new sectors, a new target from the same parameters", async () => {
    const queue = (actor: Actor) => resolveSubscription(actor, 'tickets.waiting', { sectorIds: 'visible', limit: 50 }, w.reader);
    expect(await queue(staff('ana'))).toMatchObject({ spec: { where: [['status', '==', 'waiting'], ['sectorId', 'in', ['suporte']]], limit: 50 } });
    expect(await queue({ ...staff('ana'), sectorIds: ['suporte', 'financeiro'] })).toMatchObject({ spec: { where: [['status', '==', 'waiting'], ['sectorId', 'in', ['suporte', 'financeiro']]] } });
    // Admins see every sector, and tickets with none: no filter.
    expect(await queue(staff('alice'))).toMatchObject({ spec: { where: [['status', '==', 'waiting']] } });
    await expectError(queue({ ...staff('ana'), sectorIds: [] }), 'permission-denied', /no sector/);
    const team = await resolveSubscription(staff('sergio'), 'tickets.open', { sectorIds: 'visible' }, w.reader);
    expect(team).toMatchObject({ spec: { where: [['status', '==', 'open'], ['sectorId', 'in', staff('sergio').sectorIds]] } });
  });

  it('rules are not filters: whatever an allowed ticket query returns, the actor may read', async () => {
    const tickets = w.store.all('tickets');
    const actors: Actor[] = [staff('ana'), staff('bruno'), staff('carla'), staff('sergio'), staff('alice'), { ...staff('ana'), seesAllHistory: true }, customer];
    const sectorChoices = [undefined, ['suporte'], ['financeiro'], ['suporte', 'financeiro'], ['vendas'], 'visible'];
    let checked = 0;
    for (const actor of actors)
      for (const q of catalogue.filter((c) => c.name.startsWith('tickets.') || c.name === 'customer.tickets'))
        for (const sectorIds of sectorChoices)
          for (const extra of [{}, { closedOnly: true }, { status: 'closed' }]) {
            const params = { ...(sectorIds && { sectorIds }), ...(q.name === 'tickets.ofContact' && { contactId }), ...(q.name === 'tickets.ofContact' && extra), ...(q.name === 'tickets.mine' && extra) };
            let target;
            try {
              target = await resolveSubscription(actor, q.name, params, w.reader);
            } catch (e) {
              if (isCommandError(e) && ['permission-denied', 'invalid-argument'].includes(e.code)) continue;
              throw e;
            }
            if (target.kind !== 'query') continue;
            for (const t of runQuery(target.spec, tickets) as Ticket[]) {
              expect(policy.canReadTicket(actor, t), `${q.name} ${JSON.stringify(params)} for ${JSON.stringify(actor)} returned ${t.protocol}`).toBe(true);
              checked++;
            }
          }
    expect(checked).toBeGreaterThan(20);
  });
});
