import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  buildReport,
  factLog,
  isCommandError,
  localTime,
  MAX_WAITING,
  monthsFromDays,
  periodPlan,
  recompute,
  refs,
  reportOf,
  ROLLED_UP_COUNTER,
  rollUpMarkDay,
  rollUpStats,
  type Report,
  type Stats,
} from '../src/index.ts';
import { makeWorld, MINUTE, staff } from './support.ts';

const AGENTS = ['ana', 'bruno', 'carla', 'sergio'] as const;
const VISITORS = ['v1', 'v2', 'v3'] as const;

const Step = fc.oneof(
  // 'zap' starts at the bot's menu (1 Suporte, 2 Financeiro), 'nosector' in a queue of no sector: both open late.
  fc.record({ op: fc.constant('inbound' as const), channel: fc.constantFrom('site', 'site', 'zap', 'nosector'), visitor: fc.constantFrom(...VISITORS), text: fc.constantFrom('Oi', '5', '3 ok', 'preciso de ajuda', '1', '2') }),
  fc.record({ op: fc.constantFrom('accept' as const, 'send' as const, 'close' as const, 'returnToQueue' as const, 'reopen' as const), agent: fc.constantFrom(...AGENTS), pick: fc.nat(5) }),
  fc.record({ op: fc.constant('transfer' as const), agent: fc.constantFrom(...AGENTS), pick: fc.nat(5), sectorId: fc.constantFrom('suporte', 'financeiro', 'vendas'), to: fc.option(fc.constantFrom(...AGENTS), { nil: undefined }) }),
  fc.record({ op: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 60 * 30 }) }),
  fc.record({ op: fc.constant('wait' as const), minutes: fc.integer({ min: 60 * 24, max: 60 * 24 * 40 }) }),
  // The scheduled roll-up, sometimes twice in a row.
  fc.record({ op: fc.constant('rollUp' as const), twice: fc.boolean() }),
);

/** Reports compared with their lists in a stable order. */
const sorted = (r: Report) => {
  const sort = <T extends object>(xs: T[]) => [...xs].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return { ...r, byAgent: sort(r.byAgent), byChannel: sort(r.byChannel), bySector: sort(r.bySector), byClassification: sort(r.byClassification), byTag: sort(r.byTag) };
};

const normalise = (docs: Iterable<Stats>) =>
  Object.fromEntries([...docs].map((d) => [d.id, { ...d, v: Object.fromEntries(Object.entries(d.v).filter(([, n]) => n !== 0).sort()) }]).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)));

// SQLite keeps a row per fact; Firestore one fact document per ticket life, the rest waiting on the ticket (reports/lifeFacts.ts).
describe.each([
  { facts: 'one document per fact', factsPerLife: false },
  { facts: 'one document per ticket life', factsPerLife: true },
])('incremental aggregates, $facts', ({ factsPerLife }) => {
  it('equal a full recomputation from the facts after any sequence of commands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(Step, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.nat(80), fc.nat(80), async (steps, businessHours, a, b) => {
        const w = await makeWorld(
          {
          businessHours: { enabled: businessHours, timezone: 'America/Sao_Paulo', days: [1, 2, 3, 4, 5].flatMap((day) => [{ day, open: '08:00', close: '12:00' }, { day, open: '13:00', close: '18:00' }]), holidays: [], outsideMessage: '' },
          },
          { factsPerLife },
        );
        await w.store.transaction(async (tx) => {
          const c = (await tx.get(refs.channel('site')))!;
          const s = (await tx.get(refs.sector('suporte')))!;
          tx.set(refs.channel('site'), { ...c, survey: { enabled: true, question: 'Nota?', thanks: '', expiresMinutes: 120 } });
          tx.set(refs.sector('suporte'), { ...s, sla: { firstResponseMinutes: 15, resolutionHours: 4, businessHours } });
        });
        for (const step of steps) {
          const tickets = w.store.all('tickets').sort((a, b) => (a.id < b.id ? -1 : 1));
          const pickTicket = (n: number) => tickets[n % Math.max(1, tickets.length)];
          try {
            if (step.op === 'inbound') await w.inbound(step.channel, step.visitor, step.text);
            else if (step.op === 'wait') w.advance(step.minutes * MINUTE);
            else if (step.op === 'rollUp') {
              await rollUpStats(w.store, w.deps.clock());
              if (step.twice) await rollUpStats(w.store, w.deps.clock());
            }
            else {
              const t = pickTicket(step.pick);
              if (!t) continue;
              const who = staff(step.agent);
              if (step.op === 'accept') await w.run(who, 'ticket.accept', { ticketId: t.id });
              if (step.op === 'send') await w.run(who, 'message.send', { ticketId: t.id, text: 'Olá' });
              if (step.op === 'close') await w.run(who, 'ticket.close', { ticketId: t.id });
              if (step.op === 'returnToQueue') await w.run(who, 'ticket.returnToQueue', { ticketId: t.id });
              if (step.op === 'reopen') await w.run(who, 'ticket.reopen', { ticketId: t.id });
              if (step.op === 'transfer') await w.run(who, 'ticket.transfer', { ticketId: t.id, sectorId: step.sectorId, ...(step.to ? { assigneeId: step.to } : {}) });
            }
          } catch (e) {
            // Refused commands (not allowed, wrong state) change nothing; anything else is a bug.
            if (!isCommandError(e)) throw e;
          }
        }
        const tickets = w.store.all('tickets');
        const facts = factLog(w.store.all('facts'), tickets);
        const days = [...recompute(facts).values()];
        // Day documents as the facts say; month documents the sums of their days up to the roll-up's mark, no further.
        const mark = rollUpMarkDay(w.store.all('counters').find((c) => c.id === ROLLED_UP_COUNTER)?.value);
        const months = mark === null ? [] : [...new Set(days.map((d) => d.key.slice(0, 7)))].flatMap((m) => monthsFromDays(days.filter((d) => d.key <= mark), m));
        expect(normalise(w.store.all('stats'))).toEqual(normalise([...days, ...months]));
        // Any period, the current month's included, reads the same through the plan as from the days themselves.
        const today = localTime(w.deps.clock(), 'America/Sao_Paulo').date;
        const from = addDays(today, -Math.max(a, b));
        const to = addDays(today, -Math.min(a, b));
        const stored = w.store.all('stats');
        const plan = periodPlan(from, to, { today, rolledUpThrough: mark });
        const viaPlan = reportOf(plan.map((p) => ({ sign: p.sign, docs: stored.filter((d) => d.period === p.period && d.key >= p.from && d.key <= p.to) })), { businessTime: businessHours });
        expect(sorted(viaPlan)).toEqual(sorted(buildReport(days.filter((d) => d.key >= from && d.key <= to), { businessTime: businessHours })));
        // One fact document per life: none written before a life ends, and a closed ticket keeps none waiting.
        if (factsPerLife) {
          const early = (f: { kind: string; earlier?: unknown[] }) => !['closed', 'rated', 'surveyed'].includes(f.kind) && (f.earlier?.length ?? 0) < MAX_WAITING - 1;
          expect(w.store.all('facts').filter(early)).toEqual([]);
          expect(tickets.filter((t) => t.status === 'closed' && (t.lifeFacts ?? []).length > 0)).toEqual([]);
        } else expect(tickets.filter((t) => t.lifeFacts !== undefined)).toEqual([]);
        // And the aggregates agree with the tickets themselves on the simplest counts.
        const created = w.store.all('stats').filter((d) => d.period === 'day').reduce((n, d) => n + Object.entries(d.v).filter(([k]) => k.startsWith('c|') && k.endsWith('|created')).reduce((m, [, v]) => m + v, 0), 0);
        // Opened once: a ticket still at the bot (or in no sector) is not yet; every other exactly once, in the first
        // sector it entered — no fact of it with a sector before its opening — or, if it closed first, with no sector.
        const unopened = tickets.filter((t) => t.life?.unopened);
        expect(unopened.filter((t) => t.sectorId !== null || t.status === 'closed')).toEqual([]);
        expect(created).toBe(tickets.length - unopened.length);
        for (const t of tickets) {
          const own = facts.filter((f) => f.ticketId === t.id);
          const opened = own.filter((f) => f.kind === 'created');
          expect(opened.length, t.id).toBe(t.life?.unopened ? 0 : 1);
          if (!opened[0]) continue;
          expect(own.filter((f) => f.at < opened[0]!.at && f.sectorId !== null), t.id).toEqual([]);
          if (opened[0].sectorId === null) expect(own.some((f) => f.kind === 'closed' && f.at === opened[0]!.at), t.id).toBe(true);
        }
        // The sectors' openings (the no-sector row included) add up to the workspace's.
        const all = buildReport(days, { businessTime: businessHours });
        expect(all.bySector.reduce((n, x) => n + x.created, 0)).toBe(all.totals.created);
        expect(all.totals.created).toBe(created);
        const rated = facts.filter((f) => f.kind === 'rated').length;
        expect(rated).toBe(tickets.filter((t) => t.survey?.score != null).length);
      }),
      { numRuns: 60 },
    );
  });
});
