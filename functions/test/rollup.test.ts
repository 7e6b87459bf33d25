/**
 * The reports' month roll-up on Firestore (core reports/rollup.ts, run by
 * `automationTick`): facts count only in their day's sharded `stats`
 * documents; the tick writes each month again, whole, as one shard of the
 * sums of its days up to the day before yesterday, with the mark
 * `counters/reports.rolledUpThrough`. A workspace upgraded from month
 * documents written with every fact (four shards, today's numbers in them)
 * is recomputed from its earliest day; any period then reads the same
 * through the plan as from its days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  buildReport,
  periodPlan,
  refs,
  reportOf,
  ROLLED_UP_COUNTER,
  rollUpStats,
  statsField,
  statsIds,
  sumStatsShards,
  type Report,
  type Stats,
} from '@atende/core';
import { storeOf } from '../src/handlers.ts';
import { STATS_SHARDS } from '../src/store.ts';
import { startEmulator, type Emulator } from './support/emulator.ts';

let emu: Emulator;
const DAY = 86_400_000;
// 2026-12-03, noon in São Paulo.
const NOW = Date.UTC(2026, 11, 3, 15);
const SECTORS = ['suporte', 'vendas'];
const FIRST = '2026-10-20';
const TODAY = '2026-12-03';

/** A day's numbers for a sector: different every day. */
const numbersOf = (day: string, sector: string): Record<string, number> => {
  const n = Number(day.slice(8, 10)) + (sector === 'vendas' ? 100 : 0) + Number(day.slice(5, 7));
  return { 'c|site|created': n, 'c|site|tme_s': n * 1000, [`d|${day.slice(8, 10)}|created`]: n, [`a|ana|closed`]: n % 4 };
};

const readStats = async (period: 'day' | 'month', from: string, to: string): Promise<Stats[]> => {
  const snap = await emu.db.collection('stats').where('period', '==', period).where('key', '>=', from).where('key', '<=', to).get();
  return sumStatsShards(snap.docs.map((d) => statsField.toStats(d.data())));
};

/** A report with its lists in a stable order. */
const sorted = (r: Report) => {
  const sort = <T extends object>(xs: T[]) => [...xs].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return { ...r, byAgent: sort(r.byAgent), byChannel: sort(r.byChannel), bySector: sort(r.bySector) };
};

const viaPlan = async (from: string, to: string, rolledUpThrough: string | null) => {
  const plan = periodPlan(from, to, { today: TODAY, rolledUpThrough });
  return sorted(reportOf(await Promise.all(plan.map(async (p) => ({ sign: p.sign, docs: await readStats(p.period, p.from, p.to) }))), { businessTime: false }));
};

const fromDays = async (from: string, to: string) => sorted(buildReport(await readStats('day', from, to), { businessTime: false }));

const mark = async () => (await emu.db.doc(`counters/${ROLLED_UP_COUNTER}`).get()).data()?.value as number | undefined;

beforeAll(async () => {
  emu = await startEmulator();
  const store = storeOf(emu.db);
  // Before roll-ups: every fact counted in its day's and its month's documents, each commit on a random shard.
  for (let day = FIRST; day <= TODAY; day = addDays(day, 1))
    for (const sector of SECTORS)
      for (let part = 0; part < 3; part++)
        await store.transaction(async (tx) => {
          const v = Object.fromEntries(Object.entries(numbersOf(day, sector)).map(([k, n]) => [k, part === 0 ? n : 1]));
          tx.accumulate(refs.stats(statsIds.day(day, sector)), { period: 'day', key: day, sectorId: sector }, v);
          tx.accumulate(refs.stats(statsIds.month(day.slice(0, 7), sector)), { period: 'month', key: day.slice(0, 7), sectorId: sector }, v);
        });
});
afterAll(() => emu.stop());

describe('month documents rolled up from the days on Firestore', () => {
  it('an upgraded workspace: every month recomputed from its days up to the day before yesterday, one shard each, and the mark', async () => {
    expect(await mark()).toBeUndefined();
    const result = await rollUpStats(storeOf(emu.db), NOW);
    expect(result).toEqual({ through: '2026-12-01', months: ['2026-10', '2026-11', '2026-12'] });
    expect(await mark()).toBe(20261201);
    for (const month of ['2026-10', '2026-11', '2026-12'])
      for (const sector of SECTORS) {
        const id = statsIds.month(month, sector);
        const shards = await Promise.all(Array.from({ length: STATS_SHARDS }, (_, n) => emu.db.doc(`stats/${id}~${n}`).get()));
        expect(shards.map((s) => s.exists)).toEqual([true, false, false, false]);
        const days = (await readStats('day', `${month}-01`, `${month}-31`)).filter((d) => d.sectorId === sector && d.key <= '2026-12-01');
        const summed: Record<string, number> = {};
        for (const d of days) for (const [k, n] of Object.entries(d.v)) summed[k] = (summed[k] ?? 0) + n;
        // A number the upgrade's month held for a later day (today's) is 0 now.
        expect(Object.fromEntries(Object.entries(statsField.toStats(shards[0]!.data()!).v).filter(([, n]) => n !== 0))).toEqual(summed);
      }
  });

  it('any period, the current month included, reads the same through the plan as from its days', async () => {
    for (const [from, to] of [
      [addDays(TODAY, -29), TODAY],
      ['2026-12-01', TODAY],
      ['2026-11-01', '2026-11-30'],
      ['2026-10-25', TODAY],
      ['2026-11-10', '2026-12-02'],
      [TODAY, TODAY],
    ] as const) {
      const expected = await fromDays(from, to);
      expect(expected.totals.created).toBeGreaterThan(0);
      expect(await viaPlan(from, to, '2026-12-01')).toEqual(expected);
    }
  });

  it('runs twice without a change, and the next day rolls up one more day of the current month', async () => {
    const before = (await emu.db.collection('stats').get()).docs.map((d) => [d.id, d.updateTime.toMillis()]);
    expect(await rollUpStats(storeOf(emu.db), NOW)).toEqual({ through: '2026-12-01', months: [] });
    expect((await emu.db.collection('stats').get()).docs.map((d) => [d.id, d.updateTime.toMillis()])).toEqual(before);
    // Today's facts still come in, into the day only.
    await storeOf(emu.db).transaction(async (tx) => tx.accumulate(refs.stats(statsIds.day(TODAY, 'suporte')), { period: 'day', key: TODAY, sectorId: 'suporte' }, { 'c|site|created': 5 }));
    expect(await rollUpStats(storeOf(emu.db), NOW + DAY)).toEqual({ through: '2026-12-02', months: ['2026-12'] });
    expect(await mark()).toBe(20261202);
    const expected = await fromDays('2026-11-04', TODAY);
    expect(await viaPlan('2026-11-04', TODAY, '2026-12-02')).toEqual(expected);
  });
});
