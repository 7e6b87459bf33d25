import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterDocIds, counterIds, counterPlace, counterTotals, isCommandError, isCounted, OPEN_STATUSES, readsEverySector, SECTOR_COUNTS_PREFIX, type Store, type Ticket } from '../src/index.ts';
import { overriding } from '../src/store/overriding.ts';
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
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('returnToQueue' as const), actor, ticket }) },
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

/**
 * The counter changes of every committed transaction laid out as on Firestore (core's `counterPlace`, as
 * functions/src/counters.ts writes them): one shard document per place and transaction, shards taken in turn.
 * Also checks that no transaction writes more than two counter documents (a move touches at most two sectors).
 */
const firestoreLayout = (w: World): Map<string, Record<string, number | string>> => {
  const docs = new Map<string, Record<string, number | string>>();
  const store = w.deps.store;
  let shard = 0;
  (w.deps as { store: Store }).store = {
    transaction: async (fn) => {
      let changes: [string, number][] = [];
      const result = await store.transaction((tx) => {
        changes = [];
        return fn(overriding(tx, { increment: (id: string, delta: number) => (changes.push([id, delta]), tx.increment(id, delta)) }));
      });
      const places = new Map<string, Map<string, number>>();
      for (const [id, delta] of changes) {
        const { docId, field } = counterPlace(id);
        const fields = places.get(docId) ?? new Map<string, number>();
        places.set(docId, fields.set(field, (fields.get(field) ?? 0) + delta));
      }
      const written = [...places].filter(([docId, fields]) => docId.startsWith('tickets.') && [...fields.values()].some((d) => d !== 0));
      expect(written.length, JSON.stringify(changes)).toBeLessThanOrEqual(2);
      for (const [docId, fields] of written) {
        const key = `${docId}~${shard++ % 8}`;
        const doc = docs.get(key) ?? { id: docId };
        for (const [field, delta] of fields) doc[field] = Number(doc[field] ?? 0) + delta;
        docs.set(key, doc);
      }
      return result;
    },
  };
  return docs;
};

/** A counter as a Firestore reader gets it: from the documents it listens to (its own, its group's, every sector's for an agent's total). */
const readOnFirestore = (docs: Map<string, Record<string, number | string>>, id: string): number => {
  const ids = new Set(counterDocIds([id]));
  const read = [...docs.values()].filter((d) => ids.has(String(d.id)) || (readsEverySector([id]) && String(d.id).startsWith(SECTOR_COUNTS_PREFIX)));
  return counterTotals(read, [id])[0]?.value ?? 0;
};

describe('counters (property)', () => {
  it('after any sequence of commands by anyone, every ticket counter equals the count of its tickets, and none is negative', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 50 }), async (steps) => {
        const w = await makeWorld();
        const onFirestore = firestoreLayout(w);
        for (const s of steps) await apply(w, s);
        const tickets = w.store.all('tickets');
        const stored = new Map(w.store.all('counters').filter((c) => c.id.startsWith('tickets.')).map((c) => [c.id, c.value]));
        for (const [id, value] of stored) expect(value, id).toBeGreaterThanOrEqual(0);
        const expected = expectedCounters(tickets);
        for (const id of new Set([...stored.keys(), ...expected.keys()])) expect(stored.get(id) ?? 0, id).toBe(expected.get(id) ?? 0);
        // The same counts as Firestore's readers add them up (agents' totals over every sector's document).
        const everyone = [...ACTORS.map((uid) => counterIds.byAssignee('open', uid)), ...[...SECTORS, null].flatMap((sid) => (['waiting', 'open', 'closed'] as const).map((st) => counterIds.bySector(st, sid)))];
        for (const id of new Set([...everyone, ...expected.keys()])) expect(readOnFirestore(onFirestore, id), `${id} on Firestore`).toBe(expected.get(id) ?? 0);

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
    // Reached, not counted exactly: each kind succeeds ~20–90 times over the 300 walks, and the rarest (reopen,
    // returnToQueue) came down to 9 in one run of many, so the bar sits far below where chance could drop it.
    for (const kind of ['inbound', 'accept', 'transfer', 'returnToQueue', 'close', 'reopen']) expect(succeeded.get(kind) ?? 0, kind).toBeGreaterThan(4);
  });
});
