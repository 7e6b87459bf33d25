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

/** A quantile read from a fixed histogram, interpolated inside its bucket (log-spaced buckets: within a few % of the truth). */
export const histogramQuantile = (counts: readonly number[], q: number): number | null => {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lo = i === 0 ? 0 : BUCKETS_S[i - 1]!;
      const hi = BUCKETS_S[i] ?? lo * 2;
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
    return { n, mean: n > 0 ? g(`${d}_${biz ? 'b' : 's'}`) / n : null, median: histogramQuantile(hist, 0.5), p90: histogramQuantile(hist, 0.9) };
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

/** Builds the report from the documents of a period (day and month documents, shards included, in any order). */
export const buildReport = (docs: readonly Pick<Stats, 'period' | 'key' | 'sectorId' | 'v'>[], options: ReportOptions): Report => {
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
  for (const doc of docs) {
    const sector = cell(sectors, doc.sectorId);
    const month = doc.key.slice(0, 7);
    for (const k in doc.v) {
      const value = doc.v[k]!;
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
        case 'd': {
          const day = `${month}-${id}`;
          let d = days.get(day);
          if (!d) days.set(day, (d = { created: 0, closed: 0 }));
          if (metric === 'created' || metric === 'closed') d[metric] += value;
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
    perDay: [...days].map(([day, v]) => ({ day, ...v })).sort((a, b) => a.day.localeCompare(b.day)),
    perHour: hours,
    heatmap,
    bySector: [...sectors].map(([sectorId, s]) => ({ sectorId, ...figures(s, biz) })).filter((r) => r.created + r.closed + r.accepted + r.rated > 0),
    byChannel: [...channels].map(([channelId, s]) => ({ channelId, ...figures(s, biz) })),
    byClassification: [...classes].map(([classificationId, s]) => ({ classificationId, closed: s.get('closed') ?? 0, tma: mean(s, 'tma'), rated: s.get('rated') ?? 0 })),
    byTag: [...tags].map(([tagId, closed]) => ({ tagId, closed })),
    byAgent: [...agents].map(([agentId, s]) => {
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

/** A YYYY-MM-DD date moved by `n` days. */
export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/**
 * Which documents a period [from, to] (inclusive local dates) is read from:
 * whole months inside it as month documents, the rest as day documents. A
 * year is 12 documents a sector plus the days at its ends.
 */
export const periodPlan = (from: string, to: string): { period: 'day' | 'month'; from: string; to: string }[] => {
  if (to < from) return [];
  const parts: { period: 'day' | 'month'; from: string; to: string }[] = [];
  let day = from;
  let dayRunStart: string | null = null;
  const flushDays = (end: string) => {
    if (dayRunStart !== null && dayRunStart <= end) parts.push({ period: 'day', from: dayRunStart, to: end });
    dayRunStart = null;
  };
  let firstMonth: string | null = null;
  let lastMonth: string | null = null;
  while (day <= to) {
    const month = day.slice(0, 7);
    const monthEnd = lastDayOfMonth(month);
    if (day.endsWith('-01') && monthEnd <= to) {
      flushDays(addDays(day, -1));
      firstMonth ??= month;
      lastMonth = month;
      day = addDays(monthEnd, 1);
    } else {
      if (lastMonth !== null && firstMonth !== null) {
        parts.push({ period: 'month', from: firstMonth, to: lastMonth });
        firstMonth = lastMonth = null;
      }
      dayRunStart ??= day;
      day = addDays(day, 1);
    }
  }
  if (firstMonth !== null && lastMonth !== null) parts.push({ period: 'month', from: firstMonth, to: lastMonth });
  flushDays(to);
  return parts;
};
