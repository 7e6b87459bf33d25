import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, buildReport, periodPlan, reportOf, type Stats } from '../src/index.ts';

const KEYS = ['c|site|created', 'c|site|closed', 'c|whatsapp|tme_n', 'c|whatsapp|tme_s', 'c|whatsapp|tme_h4', 'c|site|rated', 'c|site|good', 'a|ana|closed', 'a|bruno|online_ms', 'h|10|created', 'w|1|10', 'k|duvida|closed', 't|vip|closed'];
const FIRST = '2026-01-01';
const DAYS = 120;

/** Day documents, and month documents that are exactly their days' sums up to the roll-up's mark (every day when absent). */
const docsOf = (cells: { day: number; sector: string; key: number; n: number }[], rolledUpThrough?: string | null): Stats[] => {
  const byId = new Map<string, Stats>();
  const add = (period: 'day' | 'month', key: string, sectorId: string, k: string, n: number) => {
    const id = `${period}:${key}:${sectorId}`;
    const doc = byId.get(id) ?? byId.set(id, { id, period, key, sectorId, v: {} }).get(id)!;
    doc.v[k] = (doc.v[k] ?? 0) + n;
  };
  for (const c of cells) {
    const day = addDays(FIRST, c.day);
    add('day', day, c.sector, KEYS[c.key]!, c.n);
    add('day', day, c.sector, `d|${day.slice(8, 10)}|created`, c.n);
    if (rolledUpThrough === null || (rolledUpThrough !== undefined && day > rolledUpThrough)) continue;
    add('month', day.slice(0, 7), c.sector, KEYS[c.key]!, c.n);
    add('month', day.slice(0, 7), c.sector, `d|${day.slice(8, 10)}|created`, c.n);
  }
  return [...byId.values()];
};

/** What `stats.range` answers for one part of a plan. */
const read = (docs: Stats[], part: { period: 'day' | 'month'; from: string; to: string }) => docs.filter((d) => d.period === part.period && d.key >= part.from && d.key <= part.to);

describe('reading a period', () => {
  it('whole months as month documents; a month mostly inside the period as its document minus the days outside', () => {
    expect(periodPlan('2026-01-20', '2026-04-10')).toEqual([
      { period: 'day', from: '2026-01-20', to: '2026-01-31', sign: 1 },
      { period: 'month', from: '2026-02', to: '2026-03', sign: 1 },
      { period: 'day', from: '2026-04-01', to: '2026-04-10', sign: 1 },
    ]);
    expect(periodPlan('2026-01-05', '2026-04-27')).toEqual([
      { period: 'month', from: '2026-01', to: '2026-04', sign: 1 },
      { period: 'day', from: '2026-01-01', to: '2026-01-04', sign: -1 },
      { period: 'day', from: '2026-04-28', to: '2026-04-30', sign: -1 },
    ]);
    expect(periodPlan('2026-11-01', '2026-11-30')).toEqual([{ period: 'month', from: '2026-11', to: '2026-11', sign: 1 }]);
    expect(periodPlan('2026-11-03', '2026-11-09')).toEqual([{ period: 'day', from: '2026-11-03', to: '2026-11-09', sign: 1 }]);
    expect(periodPlan('2026-11-09', '2026-11-03')).toEqual([]);
  });

  it('days after today cost nothing to take away: the 30 days up to the 3rd are two months minus a few days', () => {
    expect(periodPlan('2026-11-04', '2026-12-03', { today: '2026-12-03' })).toEqual([
      { period: 'month', from: '2026-11', to: '2026-12', sign: 1 },
      { period: 'day', from: '2026-11-01', to: '2026-11-03', sign: -1 },
      { period: 'day', from: '2026-12-04', to: '2026-12-31', sign: -1 },
    ]);
    // Without knowing today, the 3 days of December are cheaper as days.
    expect(periodPlan('2026-11-04', '2026-12-03')).toEqual([
      { period: 'month', from: '2026-11', to: '2026-11', sign: 1 },
      { period: 'day', from: '2026-12-01', to: '2026-12-03', sign: 1 },
      { period: 'day', from: '2026-11-01', to: '2026-11-03', sign: -1 },
    ]);
    // Today alone is one day document.
    expect(periodPlan('2026-12-03', '2026-12-03', { today: '2026-12-03' })).toEqual([{ period: 'day', from: '2026-12-03', to: '2026-12-03', sign: 1 }]);
  });

  it('months hold their days only up to the roll-up mark: the days after it are read as days', () => {
    // 30 days up to the 3rd, rolled up through the 1st: November minus its first 3 days, December's document (the 1st), the 2nd and 3rd.
    expect(periodPlan('2026-11-04', '2026-12-03', { today: '2026-12-03', rolledUpThrough: '2026-12-01' })).toEqual([
      { period: 'month', from: '2026-11', to: '2026-12', sign: 1 },
      { period: 'day', from: '2026-12-02', to: '2026-12-03', sign: 1 },
      { period: 'day', from: '2026-11-01', to: '2026-11-03', sign: -1 },
    ]);
    // Late in the month: December's document up to the 26th, the 27th and 28th as days.
    expect(periodPlan('2026-12-01', '2026-12-28', { today: '2026-12-28', rolledUpThrough: '2026-12-26' })).toEqual([
      { period: 'month', from: '2026-12', to: '2026-12', sign: 1 },
      { period: 'day', from: '2026-12-27', to: '2026-12-28', sign: 1 },
    ]);
    // A period that starts after the mark, and one before any roll-up: days only.
    expect(periodPlan('2026-12-27', '2026-12-28', { today: '2026-12-28', rolledUpThrough: '2026-12-26' })).toEqual([{ period: 'day', from: '2026-12-27', to: '2026-12-28', sign: 1 }]);
    expect(periodPlan('2026-10-01', '2026-11-30', { today: '2026-12-03', rolledUpThrough: null })).toEqual([{ period: 'day', from: '2026-10-01', to: '2026-11-30', sign: 1 }]);
    // Taking away days after the period: only up to the mark (later days are in no month document).
    expect(periodPlan('2026-12-01', '2026-12-20', { today: '2026-12-28', rolledUpThrough: '2026-12-22' })).toEqual([
      { period: 'month', from: '2026-12', to: '2026-12', sign: 1 },
      { period: 'day', from: '2026-12-21', to: '2026-12-22', sign: -1 },
    ]);
  });

  it('any plan gives the same report as every day of the period added up', () => {
    const cell = fc.record({ day: fc.nat(DAYS - 1), sector: fc.constantFrom('suporte', 'vendas'), key: fc.nat(KEYS.length - 1), n: fc.integer({ min: 1, max: 1000 }) });
    const mark = fc.oneof(fc.constant(undefined), fc.constant(null), fc.nat(DAYS - 1));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), fc.nat(DAYS - 1), fc.nat(DAYS - 1), fc.option(fc.nat(DAYS - 1), { nil: undefined }), fc.boolean(), mark, (cells, a, b, t, biz, m) => {
        const rolledUpThrough = typeof m === 'number' ? addDays(FIRST, m) : m;
        const docs = docsOf(cells, rolledUpThrough);
        const from = addDays(FIRST, Math.min(a, b));
        const to = addDays(FIRST, Math.max(a, b));
        // Nothing is recorded after today.
        const today = t === undefined ? undefined : addDays(FIRST, Math.max(t, Math.max(a, b)));
        const days = docs.filter((d) => d.period === 'day' && d.key >= from && d.key <= to);
        const plan = periodPlan(from, to, { ...(today === undefined ? {} : { today }), ...(rolledUpThrough === undefined ? {} : { rolledUpThrough }) });
        const viaPlan = reportOf(plan.map((p) => ({ sign: p.sign, docs: read(docs, p) })), { businessTime: biz });
        const sort = <T extends object>(xs: T[]) => [...xs].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
        const expected = buildReport(days, { businessTime: biz });
        expect({ ...viaPlan, byAgent: sort(viaPlan.byAgent), byChannel: sort(viaPlan.byChannel), bySector: sort(viaPlan.bySector) }).toEqual({
          ...expected,
          byAgent: sort(expected.byAgent),
          byChannel: sort(expected.byChannel),
          bySector: sort(expected.bySector),
        });
      }),
      { numRuns: 600 },
    );
  });
});
