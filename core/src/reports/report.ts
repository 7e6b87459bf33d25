import type { Stats } from '../model/index.ts';
import { BUCKETS_S, DURATIONS, type Duration } from './aggregate.ts';

/**
 * The period report, read from `stats` documents (reports/aggregate.ts) —
 * never from tickets. The same function serves the embedded server's
 * Relatórios, the Firebase driver (which sums shards by doing exactly this)
 * and the benchmark.
 */

export interface DurationFigure {
  n: number;
  /** Means, medians and p90 in ms; null when nothing was measured. */
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface Figures {
  created: number;
  queued: number;
  accepted: number;
  closed: number;
  abandoned: number;
  transfers: number;
  surveys: number;
  rated: number;
  /** % of ratings that were 4 or 5. */
  csat: number | null;
  /** % of surveys answered. */
  responseRate: number | null;
  averageScore: number | null;
  slaFirstResponse: number | null;
  slaResolution: number | null;
  tme: DurationFigure;
  tmr: DurationFigure;
  tma: DurationFigure;
  res: DurationFigure;
}

export interface AgentFigures {
  agentId: string;
  accepted: number;
  closed: number;
  transfers: number;
  tmr: number | null;
  tma: number | null;
  rated: number;
  csat: number | null;
  onlineMs: number;
  pausedMs: number;
}

export interface Report {
  businessTime: boolean;
  totals: Figures;
  /** YYYY-MM-DD → created / closed. */
  perDay: { day: string; created: number; closed: number }[];
  /** Hour of day 0–23. */
  perHour: { hour: number; created: number; closed: number }[];
  /** heatmap[weekday 0 = Sunday][hour] = arrivals. */
  heatmap: number[][];
  bySector: ({ sectorId: string | null } & Figures)[];
  byChannel: ({ channelId: string } & Figures)[];
  byClassification: { classificationId: string; closed: number; tma: number | null; rated: number }[];
  byTag: { tagId: string; closed: number }[];
  byAgent: AgentFigures[];
}

type Sums = Map<string, number>;

const addTo = (m: Sums, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);

/**
 * A quantile read from a fixed histogram, interpolated inside its bucket (log-spaced buckets: within a few % of the
 * truth). `meanMs`, the values' mean: when they all sit in one bucket, they are spread from its lower edge only as far
 * as that mean allows (a day of 1-second waits reads median 1 s, not the 5 s of the middle of the 0–10 s bucket
 * beside an average of 1 s).
 */
export const histogramQuantile = (counts: readonly number[], q: number, meanMs: number | null = null): number | null => {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lo = i === 0 ? 0 : BUCKETS_S[i - 1]!;
      const edge = BUCKETS_S[i] ?? lo * 2;
      const hi = c === total && meanMs !== null ? Math.min(edge, Math.max(lo, (2 * meanMs) / 1000 - lo)) : edge;
      const within = Math.min(1, Math.max(0, (rank - seen) / c));
      return Math.round((lo + (hi - lo) * within) * 1000);
    }
    seen += c;
  }
  return null;
};

const figures = (s: Sums, biz: boolean): Figures => {
  const g = (k: string) => s.get(k) ?? 0;
  const duration = (d: Duration): DurationFigure => {
    const n = g(`${d}_n`);
    const hist = Array.from({ length: BUCKETS_S.length + 1 }, (_, i) => g(`${d}_${biz ? 'g' : 'h'}${i}`));
    const mean = n > 0 ? g(`${d}_${biz ? 'b' : 's'}`) / n : null;
    return { n, mean, median: histogramQuantile(hist, 0.5, mean), p90: histogramQuantile(hist, 0.9, mean) };
  };
  const rated = g('rated');
  return {
    created: g('created'),
    queued: g('queued'),
    accepted: g('accepted'),
    closed: g('closed'),
    abandoned: g('abandoned'),
    transfers: g('transfers'),
    surveys: g('surveys'),
    rated,
    csat: pct(g('good'), rated),
    responseRate: pct(rated, g('surveys')),
    averageScore: rated > 0 ? g('score_s') / rated : null,
    slaFirstResponse: pct(g('slaf_ok'), g('slaf_n')),
    slaResolution: pct(g('slar_ok'), g('slar_n')),
    tme: duration('tme'),
    tmr: duration('tmr'),
    tma: duration('tma'),
    res: duration('res'),
  };
};

/** Parsed keys, memoised: the same few thousand keys repeat across every document. */
const parsedKeys = new Map<string, [string, string, string]>();
const parse = (k: string): [string, string, string] => {
  let p = parsedKeys.get(k);
  if (!p) {
    const a = k.indexOf('|');
    const b = k.lastIndexOf('|');
    p = [k.slice(0, a), k.slice(a + 1, b), k.slice(b + 1)];
    if (parsedKeys.size > 200_000) parsedKeys.clear();
    parsedKeys.set(k, p);
  }
  return p;
};

export interface ReportOptions {
  /** Figures in business hours (true) or wall-clock (false). */
  businessTime: boolean;
}

type StatsLike = Pick<Stats, 'period' | 'key' | 'sectorId' | 'v'>;

/** Builds the report from the documents of a period (day and month documents, shards included, in any order). */
export const buildReport = (docs: readonly StatsLike[], options: ReportOptions): Report => reportOf([{ sign: 1, docs }], options);

/** A cell that only ever saw numbers taken away again (a month minus its days) is not shown. */
const someNumber = (s: Sums): boolean => {
  for (const v of s.values()) if (v !== 0) return true;
  return false;
};

/** Builds the report from the parts of a `periodPlan`: each part's documents added or taken away by its sign. */
export const reportOf = (parts: readonly { sign: number; docs: readonly StatsLike[] }[], options: ReportOptions): Report => {
  const biz = options.businessTime;
  const total: Sums = new Map();
  const sectors = new Map<string | null, Sums>();
  const channels = new Map<string, Sums>();
  const agents = new Map<string, Sums>();
  const classes = new Map<string, Sums>();
  const tags = new Map<string, number>();
  const days = new Map<string, { created: number; closed: number }>();
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, created: 0, closed: 0 }));
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const cell = <K>(m: Map<K, Sums>, k: K): Sums => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Map()));
    return s;
  };
  // First each sector's numbers by key (one map update a number), then the few thousand distinct keys are read apart.
  const bySectorKey = new Map<string | null, Sums>();
  for (const { sign, docs } of parts) {
    for (const doc of docs) {
      const sums = cell(bySectorKey, doc.sectorId);
      const month = doc.key.slice(0, 7);
      for (const k in doc.v) {
        const value = sign * doc.v[k]!;
        if (k.charCodeAt(0) !== 100 /* d|<DD>|… is the day of this document's month */) {
          addTo(sums, k, value);
          continue;
        }
        const [, id, metric] = parse(k);
        const day = `${month}-${id}`;
        let d = days.get(day);
        if (!d) days.set(day, (d = { created: 0, closed: 0 }));
        if (metric === 'created' || metric === 'closed') d[metric] += value;
      }
    }
  }
  for (const [sectorId, sums] of bySectorKey) {
    const sector = cell(sectors, sectorId);
    for (const [k, value] of sums) {
      const [dim, id, metric] = parse(k);
      switch (dim) {
        case 'c':
          addTo(total, metric, value);
          addTo(sector, metric, value);
          addTo(cell(channels, id), metric, value);
          break;
        case 'a':
          addTo(cell(agents, id), metric, value);
          break;
        case 'h': {
          const h = hours[Number(id)];
          if (h && (metric === 'created' || metric === 'closed')) h[metric] += value;
          break;
        }
        case 'w': {
          const row = heatmap[Number(id)];
          if (row) row[Number(metric)] = (row[Number(metric)] ?? 0) + value;
          break;
        }
        case 'k':
          addTo(cell(classes, id), metric, value);
          break;
        case 't':
          tags.set(id, (tags.get(id) ?? 0) + value);
          break;
      }
    }
  }
  const mean = (s: Sums, d: string) => {
    const n = s.get(`${d}_n`) ?? 0;
    return n > 0 ? (s.get(`${d}_${biz ? 'b' : 's'}`) ?? 0) / n : null;
  };
  return {
    businessTime: biz,
    totals: figures(total, biz),
    perDay: [...days].filter(([, v]) => v.created !== 0 || v.closed !== 0).map(([day, v]) => ({ day, ...v })).sort((a, b) => a.day.localeCompare(b.day)),
    perHour: hours,
    heatmap,
    bySector: [...sectors].filter(([, s]) => someNumber(s)).map(([sectorId, s]) => ({ sectorId, ...figures(s, biz) })),
    byChannel: [...channels].filter(([, s]) => someNumber(s)).map(([channelId, s]) => ({ channelId, ...figures(s, biz) })),
    byClassification: [...classes].filter(([, s]) => someNumber(s)).map(([classificationId, s]) => ({ classificationId, closed: s.get('closed') ?? 0, tma: mean(s, 'tma'), rated: s.get('rated') ?? 0 })),
    byTag: [...tags].filter(([, closed]) => closed !== 0).map(([tagId, closed]) => ({ tagId, closed })),
    byAgent: [...agents].filter(([, s]) => someNumber(s)).map(([agentId, s]) => {
      const rated = s.get('rated') ?? 0;
      return {
        agentId,
        accepted: s.get('accepted') ?? 0,
        closed: s.get('closed') ?? 0,
        transfers: s.get('transfers') ?? 0,
        tmr: mean(s, 'tmr'),
        tma: mean(s, 'tma'),
        rated,
        csat: pct(s.get('good') ?? 0, rated),
        onlineMs: s.get('online_ms') ?? 0,
        pausedMs: s.get('paused_ms') ?? 0,
      };
    }),
  };
};

export { DURATIONS };
export { addDays, periodPlan, type PlanOptions, type PlanPart } from './periodPlan.ts';
