import type { Fact, Stats } from '../model/index.ts';
import { refs } from '../store/refs.ts';
import type { DocRef, Tx } from '../store/types.ts';

/**
 * How facts become numbers (DESIGN §15). Every fact adds its deltas to one
 * `stats` document of its sector, its day's, in the transaction that made
 * it happen. Month documents (a year read as 12 documents a sector) are the
 * sums of their days, written by the scheduled roll-up (reports/rollup.ts)
 * once a day is older than yesterday. Keys are
 * `<dimension>|<value>|<metric>`:
 *
 * - `c|<channel>|…` the sector × channel cell (counts, sums and histograms),
 * - `a|<agent>|…` the sector × agent cell (counts and sums),
 * - `h|<HH>|created|closed` by hour of day, `w|<weekday>|<HH>` arrivals by weekday × hour,
 * - `d|<DD>|created|closed` by day of month (the daily series of a month document),
 * - `k|<classification>|…`, `t|<tag>|closed`.
 *
 * Durations are kept as count (`_n`), wall-clock sum (`_s`), business-hours
 * sum (`_b`) and two fixed histograms (`_h<i>` wall-clock, `_g<i>` business
 * hours) so medians and p90 can be read back (reports/report.ts).
 */

/** Upper bounds of the duration histogram buckets, in seconds; the last bucket is open-ended. */
export const BUCKETS_S = [10, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 14400, 21600, 28800, 43200, 86400, 172800, 259200, 604800];

export const bucketOf = (ms: number): number => {
  const s = ms / 1000;
  let i = 0;
  while (i < BUCKETS_S.length && s > BUCKETS_S[i]!) i++;
  return i;
};

/** The durations the reports measure, with histograms on the channel cells. */
export const DURATIONS = ['tme', 'tmr', 'tma', 'res'] as const;
export type Duration = (typeof DURATIONS)[number];

const SPAN_KEY: Record<string, Duration> = { tme: 'tme', tmr1: 'tmr', tma: 'tma', res: 'res' };

export const statsIds = {
  day: (day: string, sectorId: string | null) => `d:${day}:${sectorId ?? '-'}`,
  month: (month: string, sectorId: string | null) => `m:${month}:${sectorId ?? '-'}`,
};

const weekdayOf = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The numbers one fact adds to its day's document (and, rolled up, its month's). */
export const factDeltas = (f: Fact): Record<string, number> => {
  const out: Record<string, number> = {};
  const add = (k: string, n = 1) => {
    out[k] = (out[k] ?? 0) + n;
  };
  const c = `c|${f.channelId ?? '-'}|`;
  const a = f.agentId ? `a|${f.agentId}|` : null;
  const hh = String(f.hour).padStart(2, '0');
  const dd = f.day.slice(8, 10);
  const duration = (name: string, cells: (string | null)[]) => {
    const span = f.spans[name];
    const d = SPAN_KEY[name];
    if (!span || !d) return;
    const [wall, biz] = span;
    for (const cell of cells) {
      if (!cell) continue;
      add(`${cell}${d}_n`);
      add(`${cell}${d}_s`, wall);
      add(`${cell}${d}_b`, biz);
    }
    add(`${c}${d}_h${bucketOf(wall)}`);
    add(`${c}${d}_g${bucketOf(biz)}`);
  };
  switch (f.kind) {
    case 'created':
      add(`${c}created`);
      add(`h|${hh}|created`);
      add(`d|${dd}|created`);
      add(`w|${weekdayOf(f.day)}|${hh}`);
      break;
    case 'queued':
      add(`${c}queued`);
      break;
    case 'accepted':
      add(`${c}accepted`);
      if (a) add(`${a}accepted`);
      duration('tme', [c]);
      break;
    case 'firstResponse':
      duration('tmr1', [c, a]);
      break;
    case 'transferred':
      add(`${c}transfers`);
      if (a) add(`${a}transfers`);
      break;
    case 'closed':
      add(`${c}closed`);
      add(`h|${hh}|closed`);
      add(`d|${dd}|closed`);
      if (a) add(`${a}closed`);
      if (f.abandoned) add(`${c}abandoned`);
      duration('tma', [c, a]);
      duration('res', [c]);
      if (f.classificationId) {
        const k = `k|${f.classificationId}|`;
        add(`${k}closed`);
        if (f.spans.tma) {
          add(`${k}tma_n`);
          add(`${k}tma_s`, f.spans.tma[0]);
          add(`${k}tma_b`, f.spans.tma[1]);
        }
      }
      for (const tag of f.tagIds) add(`t|${tag}|closed`);
      break;
    case 'surveyed':
      add(`${c}surveys`);
      if (a) add(`${a}surveys`);
      break;
    case 'rated':
      if (f.score === null) break;
      for (const cell of [c, a]) {
        if (!cell) continue;
        add(`${cell}rated`);
        add(`${cell}score_s`, f.score);
        if (f.score >= 4) add(`${cell}good`);
      }
      if (f.classificationId) add(`k|${f.classificationId}|rated`);
      break;
    case 'presence':
      if (a && f.spans.online) add(`${a}online_ms`, f.spans.online[0]);
      if (a && f.spans.paused) add(`${a}paused_ms`, f.spans.paused[0]);
      break;
  }
  if (f.sla.firstResponse !== undefined) {
    add(`${c}slaf_n`);
    if (f.sla.firstResponse) add(`${c}slaf_ok`);
  }
  if (f.sla.resolution !== undefined) {
    add(`${c}slar_n`);
    if (f.sla.resolution) add(`${c}slar_ok`);
  }
  return out;
};

/** The document a fact is counted in when it happens: its sector's day (months are rolled up from the days). */
export const statsTargets = (f: Fact): { ref: DocRef<'stats'>; fields: Omit<Stats, 'id' | 'v'> }[] => [
  { ref: refs.stats(statsIds.day(f.day, f.sectorId)), fields: { period: 'day', key: f.day, sectorId: f.sectorId } },
];

/** Records a fact and counts it, in the transaction of the command that made it happen. */
export const recordFact = (tx: Tx, fact: Fact): void => {
  tx.create(refs.fact(fact.id), fact);
  countFact(tx, fact);
};

/** Adds a fact's numbers to its day's document (recorded when it happens, wherever the fact itself is kept). */
export const countFact = (tx: Tx, fact: Fact): void => {
  const deltas = factDeltas(fact);
  for (const { ref, fields } of statsTargets(fact)) tx.accumulate(ref, fields, deltas);
};

/**
 * The day aggregates recomputed from scratch from a list of facts: what the
 * incremental documents must equal (the property test), and how they are
 * rebuilt after a change of definitions (months are then rolled up from
 * them: `monthsFromDays`).
 */
export const recompute = (facts: readonly Fact[]): Map<string, Stats> => {
  const docs = new Map<string, Stats>();
  for (const f of facts) {
    const deltas = factDeltas(f);
    for (const { ref, fields } of statsTargets(f)) {
      let doc = docs.get(ref.id);
      if (!doc) docs.set(ref.id, (doc = { id: ref.id, ...fields, v: {} }));
      for (const [k, d] of Object.entries(deltas)) if (d !== 0) doc.v[k] = (doc.v[k] ?? 0) + d;
    }
  }
  return docs;
};

/**
 * On Firestore a stats document keeps each number as a top-level field
 * (`v_` + the key with every character outside [A-Za-z0-9] written `_xx`):
 * increments of top-level fields are what every Firestore (and emulator)
 * supports, and the names need no quoting in field paths.
 */
export const statsField = {
  encode: (key: string): string => `v_${key.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`,
  decode: (field: string): string => field.slice(2).replace(/_([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
  /** A stored Firestore stats document (one shard) as the core's `Stats`. */
  toStats: (data: Record<string, unknown>): Stats => {
    const v: Record<string, number> = {};
    for (const [f, n] of Object.entries(data)) if (f.startsWith('v_') && typeof n === 'number') v[statsField.decode(f)] = n;
    return { id: String(data.id), period: data.period as Stats['period'], key: String(data.key), sectorId: (data.sectorId as string | null) ?? null, v };
  },
};

/** Folds shards (documents sharing a logical `id`) into one document each, summing their numbers. */
export const sumStatsShards = (docs: readonly Stats[]): Stats[] => {
  const out = new Map<string, Stats>();
  for (const d of docs) {
    const have = out.get(d.id);
    if (!have) {
      out.set(d.id, { ...d, v: { ...d.v } });
      continue;
    }
    for (const [k, n] of Object.entries(d.v)) have.v[k] = (have.v[k] ?? 0) + n;
  }
  return [...out.values()];
};
