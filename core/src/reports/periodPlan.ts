/** A YYYY-MM-DD date moved by `n` days. */
export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

export interface PlanPart {
  period: 'day' | 'month';
  /** Inclusive keys: YYYY-MM-DD for days, YYYY-MM for months. */
  from: string;
  to: string;
  /** +1: the documents count; -1: they are taken away (days of a month document outside the period). */
  sign: 1 | -1;
}

export interface PlanOptions {
  /** Today's local date: days after it hold nothing yet, so taking them away from their month costs no document. */
  today?: string;
  /**
   * The last day month documents hold (the scheduled roll-up's mark, reports/rollup.ts): a month document is the sum
   * of its days up to this date, and days after it are only in day documents. `null`: no month document counts yet
   * (nothing rolled up). Absent: every month document holds all its days.
   */
  rolledUpThrough?: string | null;
}

/**
 * Which documents a period [from, to] (inclusive local dates) is read from,
 * fewest first. Every number in a `stats` document is a sum (counts, sums of
 * durations, histogram buckets), so a month's part can be read either as its
 * days or as the month's document minus the days outside the period —
 * whichever reads fewer documents. A year is about 13 month documents a
 * sector plus a few days, a 30-day period one or two months and a few days.
 * Month documents are rolled up from the days by the scheduled tick, so a
 * month holds its days only up to `rolledUpThrough`; the days after that
 * mark are always read as days.
 */
export const periodPlan = (from: string, to: string, options: PlanOptions = {}): PlanPart[] => {
  if (to < from) return [];
  const parts: PlanPart[] = [];
  const push = (part: PlanPart) => {
    const last = parts.at(-1);
    const next = (key: string) => (part.period === 'day' ? addDays(key, 1) : nextMonth(key));
    if (last && last.period === part.period && last.sign === part.sign && next(last.to) === part.from) last.to = part.to;
    else parts.push(part);
  };
  const costOf = (a: string, b: string) => {
    const end = options.today !== undefined && options.today < b ? options.today : b;
    return end < a ? 0 : daysBetween(a, end) + 1;
  };
  const minus: PlanPart[] = [];
  const mark = options.rolledUpThrough;
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) {
    const first = `${month}-01`;
    const last = lastDayOfMonth(month);
    const lo = from > first ? from : first;
    const hi = to < last ? to : last;
    // No month document holds a day of the period: days.
    if (mark === null || (mark !== undefined && (mark < first || lo > mark))) {
      push({ period: 'day', from: lo, to: hi, sign: 1 });
      continue;
    }
    // The days the month's document holds: [first, held].
    const held = mark === undefined || mark >= last ? last : mark;
    const upTo = hi < held ? hi : held;
    const before = lo > first ? costOf(first, addDays(lo, -1)) : 0;
    const after = upTo < held ? costOf(addDays(upTo, 1), held) : 0;
    if (lo === first && upTo === held) push({ period: 'month', from: month, to: month, sign: 1 });
    else if (1 + before + after < daysBetween(lo, upTo) + 1) {
      push({ period: 'month', from: month, to: month, sign: 1 });
      if (lo > first) minus.push({ period: 'day', from: first, to: addDays(lo, -1), sign: -1 });
      if (upTo < held) minus.push({ period: 'day', from: addDays(upTo, 1), to: held, sign: -1 });
    } else push({ period: 'day', from: lo, to: upTo, sign: 1 });
    // Days after the mark are in no month document yet.
    if (hi > held) push({ period: 'day', from: addDays(held, 1), to: hi, sign: 1 });
  }
  for (const part of minus) push(part);
  return parts;
};

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
