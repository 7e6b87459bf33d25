/**
 * The reports' month roll-up on the embedded server (core reports/rollup.ts,
 * the scheduler's `reports` job): a new fact counts only in its day; the
 * demo's month of history is rolled up at seeding; the next day's pass
 * rolls one more day into the month and moves the mark. Read as Relatórios
 * reads it over the socket (the mark, then the plan), any period — the
 * current month's included — gives the same report as its days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, buildReport, localTime, periodPlan, reportOf, ROLLED_UP_COUNTER, rollUpMarkDay, statsIds, type Report, type Stats } from '@atende/core';
import { LiveClient, login, newWaitingTicket, startServer, type TestServer } from './helpers.ts';

const DAY = 86_400_000;
// Saturday 2026-12-05, 14:00 in São Paulo: the demo's history spans November and December.
let now = Date.UTC(2026, 11, 5, 17);
let server: TestServer;
let live: LiveClient;
let seq = 0;

const today = () => localTime(now, 'America/Sao_Paulo').date;
const stored = (period: 'day' | 'month', from: string, to: string): Stats[] =>
  server.app.store.query({ collection: 'stats', where: [['period', '==', period], ['key', '>=', from], ['key', '<=', to]], orderBy: [['key', 'asc']] }) as Stats[];

const sorted = (r: Report) => {
  const sort = <T extends object>(xs: T[]) => [...xs].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return { ...r, byAgent: sort(r.byAgent), byChannel: sort(r.byChannel), bySector: sort(r.bySector), byClassification: sort(r.byClassification), byTag: sort(r.byTag) };
};

/** As web/src/stores/reports.ts: the mark first, then each part of the plan, over an admin's socket. */
const viaSocket = async (from: string, to: string): Promise<{ mark: string | null; report: Report }> => {
  const n = ++seq;
  const [held] = (await live.subscribe<{ value: number }>(`m${n}`, 'counters', { ids: [ROLLED_UP_COUNTER] })).docs;
  const mark = rollUpMarkDay(held?.value);
  const plan = periodPlan(from, to, { today: today(), rolledUpThrough: mark });
  const parts = await Promise.all(plan.map(async (p, i) => ({ sign: p.sign, docs: (await live.subscribe<Stats>(`r${n}-${i}`, 'stats.range', { period: p.period, from: p.from, to: p.to })).docs })));
  return { mark, report: sorted(reportOf(parts, { businessTime: false })) };
};
const fromDays = (from: string, to: string) => sorted(buildReport(stored('day', from, to), { businessTime: false }));

beforeAll(async () => {
  server = await startServer({ clock: () => now, demoHistory: true });
  live = await LiveClient.open(server, '/api/live', await login(server, 'admin@atende.local'));
});
afterAll(async () => {
  live?.close();
  await server.close();
});

describe('month documents rolled up from the days on the embedded server', () => {
  it("the demo's history is rolled up through the day before yesterday; today's tickets count in their day only", async () => {
    const month = today().slice(0, 7);
    const before = stored('month', month, month);
    expect(before.length).toBeGreaterThan(0);
    const { sectorId } = await newWaitingTicket(server);
    const counted = (docs: Stats[]) => docs.filter((d) => d.sectorId === sectorId).reduce((n, d) => n + (d.v['c|site|created'] ?? 0), 0);
    expect(stored('month', month, month)).toEqual(before);
    expect(counted(stored('day', today(), today()))).toBeGreaterThan(0);
    for (const [from, to] of [
      [addDays(today(), -29), today()],
      [`${month}-01`, today()],
      [addDays(today(), -6), today()],
      [addDays(today(), -40), addDays(today(), -3)],
    ] as const) {
      const { mark, report } = await viaSocket(from, to);
      expect(mark).toBe(addDays(today(), -2));
      expect(report).toEqual(fromDays(from, to));
    }
  });

  it("the next day's scheduled pass rolls one more day into the month; a second pass changes nothing", async () => {
    now += DAY;
    await newWaitingTicket(server);
    await server.app.scheduler.runNow();
    const month = today().slice(0, 7);
    const rolled = stored('month', month, month);
    const mark = addDays(today(), -2);
    for (const doc of rolled) {
      const days = stored('day', `${month}-01`, mark).filter((d) => d.sectorId === doc.sectorId);
      const sums: Record<string, number> = {};
      for (const d of days) for (const [k, n] of Object.entries(d.v)) sums[k] = (sums[k] ?? 0) + n;
      expect(doc).toEqual({ id: statsIds.month(month, doc.sectorId), period: 'month', key: month, sectorId: doc.sectorId, v: sums });
    }
    await server.app.scheduler.runNow();
    expect(stored('month', month, month)).toEqual(rolled);
    const { mark: read, report } = await viaSocket(addDays(today(), -29), today());
    expect(read).toBe(mark);
    expect(report).toEqual(fromDays(addDays(today(), -29), today()));
  });
});
