import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterIds, isCommandError, isCounted, OPEN_STATUSES, type Ticket } from '../src/index.ts';
import { makeWorld, MINUTE, staff, type World } from './support.ts';

const ACTORS = ['ana', 'bruno', 'carla', 'sergio', 'alice'] as const;
const VISITORS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'] as const;
const CHANNELS = ['site', 'zap', 'nosector', 'vendas-site'] as const;
const SECTORS = ['suporte', 'financeiro', 'vendas', 'ghost'] as const;

type Step =
  | { kind: 'inbound'; channel: string; visitor: string; text: string }
  | { kind: 'presence'; actor: string; presence: 'online' | 'paused' | 'offline' }
  | { kind: 'accept' | 'returnToQueue' | 'close' | 'reopen'; actor: string; ticket: number }
  | { kind: 'transfer'; actor: string; ticket: number; sectorId?: string; assigneeId?: string };

const actor = fc.constantFrom(...ACTORS);
const ticket = fc.nat({ max: 20 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('inbound' as const), channel: fc.constantFrom(...CHANNELS), visitor: fc.constantFrom(...VISITORS), text: fc.constantFrom('Oi', '1', '2', 'banana') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('presence' as const), actor, presence: fc.constantFrom('online' as const, 'paused' as const, 'offline' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), actor, ticket }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('returnToQueue' as const), actor, ticket }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), actor, ticket }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reopen' as const), actor, ticket }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('transfer' as const), actor, ticket, sectorId: fc.constantFrom(...SECTORS), assigneeId: fc.constantFrom(...ACTORS) },
      { requiredKeys: ['kind', 'actor', 'ticket'] },
    ),
  },
);

/** Which commands went through, over all runs: the walk must really reach every transition. */
const succeeded = new Map<string, number>();

const apply = async (w: World, s: Step): Promise<void> => {
  // Aim each step at a ticket it could apply to (most of the time), so the walk gets somewhere.
  const fits: Record<string, readonly Ticket['status'][]> = { accept: ['waiting'], returnToQueue: ['open'], close: ['waiting', 'open'], reopen: ['closed'], transfer: ['waiting', 'open'] };
  const all = w.store.all('tickets').sort((a, b) => (a.id < b.id ? -1 : 1));
  const apt = all.filter((t) => fits[s.kind]?.includes(t.status));
  const pool = 'ticket' in s && s.ticket % 4 !== 0 && apt.length > 0 ? apt : all;
  const target = 'ticket' in s ? pool[s.ticket % Math.max(1, pool.length)] : undefined;
  const attempt = async (p: Promise<unknown>) => {
    try {
      await p;
      succeeded.set(s.kind, (succeeded.get(s.kind) ?? 0) + 1);
    } catch (e) {
      // Refusals are expected in a random walk; anything else is a bug.
      if (!isCommandError(e) || !['permission-denied', 'failed-precondition', 'not-found'].includes(e.code)) throw e;
    }
  };
  w.advance(MINUTE);
  switch (s.kind) {
    case 'inbound':
      return attempt(w.inbound(s.channel, s.visitor, s.text));
    case 'presence':
      return attempt(w.run(staff(s.actor), 'presence.set', { presence: s.presence }));
    case 'transfer': {
      if (!target) return;
      const { kind: _kind, actor: who, ticket: _ticket, ...to } = s;
      if (to.sectorId === undefined && to.assigneeId === undefined) return;
      return attempt(w.run(staff(who), 'ticket.transfer', { ticketId: target.id, ...to }));
    }
    default:
      if (!target) return;
      return attempt(w.run(staff(s.actor), `ticket.${s.kind}`, { ticketId: target.id }));
  }
};

/** What every counter must hold, counted from the tickets themselves. */
const expectedCounters = (tickets: Ticket[]): Map<string, number> => {
  const counts = new Map<string, number>();
  const add = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const t of tickets) {
    if (isCounted(t.status, 'sector')) add(counterIds.bySector(t.status, t.sectorId));
    if (t.assigneeId !== null && isCounted(t.status, 'assignee')) add(counterIds.byAssignee(t.status, t.assigneeId));
  }
  return counts;
};

describe('counters (property)', () => {
  it('after any sequence of commands by anyone, every ticket counter equals the count of its tickets, and none is negative', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 50 }), async (steps) => {
        const w = await makeWorld();
        for (const s of steps) await apply(w, s);
        const tickets = w.store.all('tickets');
        const stored = new Map(w.store.all('counters').filter((c) => c.id.startsWith('tickets.')).map((c) => [c.id, c.value]));
        for (const [id, value] of stored) expect(value, id).toBeGreaterThanOrEqual(0);
        const expected = expectedCounters(tickets);
        for (const id of new Set([...stored.keys(), ...expected.keys()])) expect(stored.get(id) ?? 0, id).toBe(expected.get(id) ?? 0);

        // The lifecycle's own invariants, on the way.
        for (const t of tickets) {
          if (t.status === 'open') expect(t.assigneeId, `${t.protocol} open`).not.toBeNull();
          if (t.status === 'waiting' || t.status === 'bot') expect(t.assigneeId, `${t.protocol} ${t.status}`).toBeNull();
          if (t.status === 'waiting') expect(t.queuedAt, `${t.protocol} waiting`).not.toBeNull();
          if (t.status === 'bot') expect(t.sectorId).toBeNull();
        }
        const live = tickets.filter((t) => (OPEN_STATUSES as readonly string[]).includes(t.status)).map((t) => `${t.contactId}/${t.channelId}`);
        expect(new Set(live).size, 'one live ticket per contact and channel').toBe(live.length);
        expect(new Set(tickets.map((t) => t.protocol)).size, 'protocols are unique').toBe(tickets.length);
      }),
      { numRuns: 300 },
    );
    for (const kind of ['inbound', 'accept', 'transfer', 'returnToQueue', 'close', 'reopen']) expect(succeeded.get(kind) ?? 0, kind).toBeGreaterThan(10);
  });
});
