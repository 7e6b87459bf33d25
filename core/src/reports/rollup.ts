import { localTime } from '../automation/businessHours.ts';
import type { Stats } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { Store, Tx } from '../store/types.ts';
import { statsIds, sumStatsShards } from './aggregate.ts';
import { addDays } from './periodPlan.ts';
import { ROLLED_UP_COUNTER, rollUpMarkDay, rollUpMarkValue } from './rollupMark.ts';

/**
 * Month documents rolled up from the days by the scheduled tick (the
 * embedded server's scheduler, Firebase's `automationTick`). A fact is
 * counted only in its day's `stats` document when it happens; once a day
 * is older than yesterday (no commit that started before midnight can
 * still land on it), the tick writes its month's documents again as the
 * sums of that month's days up to it, and moves the mark
 * (`reports.rolledUpThrough`, rollupMark.ts) in the same transaction. The
 * report's plan (`periodPlan`'s `rolledUpThrough`) reads the mark first:
 * a month document holds exactly its days up to the mark, and later days
 * are read as days.
 *
 * A month's documents are recomputed from its days, never incremented, so
 * a tick that runs twice writes the same numbers, and one that dies midway
 * leaves the mark where its last whole month left it; the next starts
 * there. An upgraded workspace (month documents written with every fact,
 * no mark) has every month recomputed once, from its earliest day.
 */

const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';

const monthOf = (day: string): string => day.slice(0, 7);

const lastDayOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

const nextMonth = (month: string): string => addDays(`${lastDayOf(month)}`, 1).slice(0, 7);

/** The last day the tick may roll up on `today`: the day before yesterday. */
export const rollableThrough = (today: string): string => addDays(today, -2);

/** A month's documents, one a sector, as the sums of its day documents (shards already summed); zeros left out. */
export const monthsFromDays = (days: readonly Stats[], month: string): Stats[] => {
  const out = new Map<string, Stats>();
  for (const d of days) {
    if (d.period !== 'day' || monthOf(d.key) !== month) continue;
    const id = statsIds.month(month, d.sectorId);
    let doc = out.get(id);
    if (!doc) out.set(id, (doc = { id, period: 'month', key: month, sectorId: d.sectorId, v: {} }));
    for (const [k, n] of Object.entries(d.v)) if (n !== 0) doc.v[k] = (doc.v[k] ?? 0) + n;
  }
  for (const doc of out.values()) for (const [k, n] of Object.entries(doc.v)) if (n === 0) delete doc.v[k];
  return [...out.values()];
};

const readMark = async (tx: Tx): Promise<string | null> => rollUpMarkDay((await tx.get(refs.counter(ROLLED_UP_COUNTER)))?.value);

const writeMark = (tx: Tx, day: string): void => tx.set(refs.counter(ROLLED_UP_COUNTER), { id: ROLLED_UP_COUNTER, value: rollUpMarkValue(day) });

export interface RollUpResult {
  /** The mark after this run (null: no stats at all and no settings to date them). */
  through: string | null;
  /** The months whose documents this run wrote. */
  months: string[];
}

/**
 * One roll-up pass at `now`: every month from the day after the mark to the
 * day before yesterday (in the workspace's time zone), one transaction a
 * month, each moving the mark to the last day it holds.
 */
export const rollUpStats = async (store: Store, now: number): Promise<RollUpResult> => {
  const start = await store.transaction(async (tx) => {
    const settings = await tx.get(refs.settings());
    const target = rollableThrough(localTime(now, settings?.businessHours.timezone ?? DEFAULT_TIME_ZONE).date);
    const mark = await readMark(tx);
    if (mark !== null) return { target, mark, first: mark >= target ? null : addDays(mark, 1) };
    // Never rolled up: from the earliest day any sector counted (month documents written before roll-ups are recomputed too).
    const [earliest] = await tx.query({ collection: 'stats', where: [['period', '==', 'day']], orderBy: [['key', 'asc']], limit: 1 });
    if (!earliest || earliest.key > target) {
      writeMark(tx, target);
      return { target, mark: target, first: null };
    }
    return { target, mark: null, first: earliest.key };
  });
  if (start.first === null) return { through: start.mark, months: [] };
  const months: string[] = [];
  let through = start.mark;
  for (let month = monthOf(start.first); month <= monthOf(start.target); month = nextMonth(month)) {
    const upTo = lastDayOf(month) < start.target ? lastDayOf(month) : start.target;
    const wrote = await store.transaction(async (tx) => {
      const mark = await readMark(tx);
      // Another pass got here first.
      if (mark !== null && mark >= upTo) return false;
      const stored = sumStatsShards(await tx.query({ collection: 'stats', where: [['period', '==', 'month'], ['key', '==', month]], orderBy: [] }));
      // One day at a time (every sector, every shard): a busy workspace's whole month of day documents at once would
      // not fit a function's memory; each day is summed into the month and let go.
      const sums = new Map<string, Stats>();
      for (let day = `${month}-01`; day <= upTo; day = addDays(day, 1)) {
        const docs = await tx.query({ collection: 'stats', where: [['period', '==', 'day'], ['key', '==', day]], orderBy: [] });
        for (const part of monthsFromDays(sumStatsShards(docs), month)) {
          const have = sums.get(part.id);
          if (!have) sums.set(part.id, part);
          else for (const [k, n] of Object.entries(part.v)) have.v[k] = (have.v[k] ?? 0) + n;
        }
      }
      const rolled = [...sums.values()];
      const ids = new Set(rolled.map((d) => d.id));
      for (const doc of stored) if (!ids.has(doc.id)) tx.delete(refs.stats(doc.id));
      for (const doc of rolled) tx.set(refs.stats(doc.id), doc);
      writeMark(tx, upTo);
      return true;
    });
    if (wrote) months.push(month);
    through = upTo;
  }
  return { through, months };
};
