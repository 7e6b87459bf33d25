import { addDays, buildReport, monthsFromDays, rollUpMarkValue, ROLLED_UP_COUNTER, type Stats } from '@atende/core';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError, useBackend } from '@/backend';
import { useReportsStore } from '@/stores/reports';
import { FakeBackend } from './fixtures';

/** Two sectors' day documents from Oct 1 to Dec 4, a different count every day. */
const DAYS: Stats[] = [];
for (let day = '2026-10-01', n = 1; day <= '2026-12-04'; day = addDays(day, 1), n++)
  for (const sectorId of ['suporte', 'vendas'])
    DAYS.push({ id: `d:${day}:${sectorId}`, period: 'day', key: day, sectorId, v: { 'c|site|created': n, [`d|${day.slice(8, 10)}|created`]: n, 'a|ana|closed': n % 3 } });

/** What the backend holds when the roll-up's mark is `through`: the days, and the months summed up to it. */
const storedAt = (through: string): Stats[] => [
  ...DAYS,
  ...['2026-10', '2026-11', '2026-12'].flatMap((m) => monthsFromDays(DAYS.filter((d) => d.key <= through), m)),
];

let fake: FakeBackend;
const statsSubs = () => fake.subscriptions.filter((s) => s.active && s.query === 'stats.range');
/** Answers every stats subscription not answered yet with what `stored` holds for its part. */
const answer = (stored: Stats[], answered: Set<unknown>) => {
  for (const s of statsSubs()) {
    if (answered.has(s)) continue;
    answered.add(s);
    const p = s.params as { period: string; from: string; to: string };
    s.listener({ type: 'snapshot', docs: stored.filter((d) => d.period === p.period && d.key >= p.from && d.key <= p.to) as never[] });
  }
};
const mark = (day: string) => fake.emit('counters', { type: 'snapshot', docs: [{ id: ROLLED_UP_COUNTER, value: rollUpMarkValue(day) }] });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-03T15:00:00Z'));
  setActivePinia(createPinia());
  fake = new FakeBackend();
  useBackend(fake);
});
afterEach(() => vi.useRealTimers());

describe('Relatórios reads the roll-up mark before planning the period', () => {
  it('plans nothing until the mark is known, then reads months up to it and the later days as days', () => {
    const store = useReportsStore();
    store.setPreset('30d');
    store.start({ role: 'admin', sectorIds: [] });
    expect(fake.subscriptions.map((s) => [s.query, s.params])).toEqual([['counters', { ids: [ROLLED_UP_COUNTER] }]]);
    expect(store.loading).toBe(true);
    mark('2026-12-01');
    expect(statsSubs().map((s) => s.params)).toEqual([
      { period: 'month', from: '2026-11', to: '2026-12' },
      { period: 'day', from: '2026-12-02', to: '2026-12-03' },
      { period: 'day', from: '2026-11-01', to: '2026-11-03' },
    ]);
    answer(storedAt('2026-12-01'), new Set());
    expect(store.loading).toBe(false);
    const expected = buildReport(DAYS.filter((d) => d.key >= '2026-11-04' && d.key <= '2026-12-03'), { businessTime: false });
    expect(store.report.totals).toEqual(expected.totals);
    expect(store.report.perDay).toEqual(expected.perDay);
  });

  it('with no mark yet (nothing rolled up), every day is read as a day', () => {
    const store = useReportsStore();
    store.setPreset('30d');
    store.start({ role: 'admin', sectorIds: [] });
    fake.emit('counters', { type: 'snapshot', docs: [] });
    expect(statsSubs().map((s) => s.params)).toEqual([{ period: 'day', from: '2026-11-04', to: '2026-12-03' }]);
    answer(DAYS, new Set());
    expect(store.report.totals.created).toBe(buildReport(DAYS.filter((d) => d.key >= '2026-11-04' && d.key <= '2026-12-03'), { businessTime: false }).totals.created);
  });

  it('plans again when the tick moves the mark, showing the old figures until the new plan has answered', () => {
    // The next day: the tick may roll December 2nd into its month.
    vi.setSystemTime(Date.parse('2026-12-04T15:00:00Z'));
    const store = useReportsStore();
    store.setPreset('30d');
    store.start({ role: 'supervisor', sectorIds: ['suporte'] });
    mark('2026-12-01');
    const answered = new Set<unknown>();
    const own = (stats: Stats[]) => stats.filter((d) => d.sectorId === 'suporte');
    answer(own(storedAt('2026-12-01')), answered);
    const expected = buildReport(own(DAYS).filter((d) => d.key >= '2026-11-05'), { businessTime: false });
    expect(store.report.totals).toEqual(expected.totals);
    const first = statsSubs();
    // The roll-up's commit: December's document now holds the 2nd too, and the mark moves; the old plan reads the 2nd as a day.
    fake.emit('counters', { type: 'changes', changes: [{ type: 'modified', doc: { id: ROLLED_UP_COUNTER, value: rollUpMarkValue('2026-12-02') } }] });
    const december = own(storedAt('2026-12-02')).find((d) => d.period === 'month' && d.key === '2026-12')!;
    const monthPart = first.find((s) => (s.params as { period: string; to: string }).period === 'month' && (s.params as { to: string }).to === '2026-12')!;
    monthPart.listener({ type: 'changes', changes: [{ type: 'modified', doc: december as never }] });
    expect(store.report.totals).toEqual(expected.totals);
    expect(first.every((s) => s.active)).toBe(true);
    expect(statsSubs().length).toBeGreaterThan(first.length);
    answer(own(storedAt('2026-12-02')), answered);
    expect(first.some((s) => s.active)).toBe(false);
    expect(store.report.totals).toEqual(expected.totals);
    expect(store.report.perDay).toEqual(expected.perDay);
    expect(statsSubs().every((s) => (s.params as { sectorIds?: string[] }).sectorIds?.join() === 'suporte')).toBe(true);
  });
});

describe('Relatórios when a list fails', () => {
  it('says why in Portuguese, never the server English', () => {
    const store = useReportsStore();
    store.setPreset('7d');
    store.start({ role: 'supervisor', sectorIds: ['suporte'] });
    fake.emit('counters', { type: 'error', error: new BackendError('permission-denied', 'you are not in sector Vendas') });
    expect(store.error).toBe('Você não está no setor Vendas');
    expect(store.loading).toBe(false);
    store.start({ role: 'admin', sectorIds: [] });
    mark('2026-12-01');
    statsSubs()[0]!.listener({ type: 'error', error: new BackendError('resource-exhausted', 'At most 40 live queries per connection') });
    expect(store.error).toBe('Muitas listas abertas ao mesmo tempo: feche algumas janelas');
  });
});
