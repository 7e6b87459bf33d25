import type { Settings } from '../model/index.ts';

/**
 * The one business-hours arithmetic (DESIGN §15): whether the team works at
 * an instant, how much working time lies between two instants, and when a
 * span of working time starts at one instant ends. Used by the opening-hours
 * message, the SLA deadlines, the reports' business-hours figures and
 * auto-close. A week day may have several intervals (a lunch break); holidays
 * are closed all day; everything is in the workspace's time zone.
 */
export type BusinessHours = Settings['businessHours'];

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY = 86_400_000;
const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday */
  day: number;
  /** YYYY-MM-DD */
  date: string;
  /** 0–23 */
  hour: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const QUARTER = 15 * MINUTE;
/** Every UTC offset is a multiple of 15 minutes: local time is computed once per quarter hour and zone (bounded cache). */
const quarterCache = new Map<string, LocalTime>();

const computeLocalTime = (at: number, timeZone: string): LocalTime => {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const hour = Number(get('hour'));
  return {
    day: WEEKDAYS.indexOf(get('weekday')),
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour,
    minutes: hour * 60 + Number(get('minute')),
  };
};

/** The local weekday, date, hour and minutes-since-midnight of an instant in a time zone. */
export const localTime = (now: number, timeZone: string): LocalTime => {
  const quarter = Math.floor(now / QUARTER) * QUARTER;
  const key = `${timeZone}|${quarter}`;
  let base = quarterCache.get(key);
  if (!base) {
    if (quarterCache.size > 20_000) quarterCache.clear();
    base = computeLocalTime(quarter, timeZone);
    quarterCache.set(key, base);
  }
  const extra = Math.floor((now - quarter) / MINUTE);
  return extra === 0 ? { ...base } : { ...base, minutes: base.minutes + extra };
};

/** Offset of local time from UTC at an instant, in ms (São Paulo: −3 h). */
const offsetAt = (at: number, timeZone: string): number => {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
};

/** The instant a local wall-clock time (date at midnight + minutes) happens in a time zone. */
export const instantOf = (date: string, minutes: number, timeZone: string): number => {
  const naive = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  // Two passes settle the offset across a DST change (São Paulo has had none since 2019).
  let at = naive - offsetAt(naive, timeZone);
  at = naive - offsetAt(at, timeZone);
  return at;
};

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The day after a YYYY-MM-DD date. */
export const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/** The working intervals of one local date, as instants, sorted and merged. */
export const intervalsOn = (hours: BusinessHours, date: string): [number, number][] => {
  if (hours.holidays.includes(date)) return [];
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const spans = hours.days
    .filter((d) => d.day === day)
    .map((d) => [toMinutes(d.open), d.close === '00:00' ? 24 * 60 : toMinutes(d.close)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(([a, b]) => [instantOf(date, a, hours.timezone), b === 24 * 60 ? instantOf(nextDate(date), 0, hours.timezone) : instantOf(date, b, hours.timezone)]);
};

/** D5: whether the team is working at this instant (holidays count as closed; switched off = always open). */
export const isWithinBusinessHours = (hours: BusinessHours, now: number): boolean => {
  if (!hours.enabled) return true;
  return intervalsOn(hours, localTime(now, hours.timezone).date).some(([a, b]) => now >= a && now < b);
};

/** Longest span the arithmetic walks before giving up (a calendar with no working time at all). */
const MAX_DAYS = 400;

/**
 * Working time between two instants, in ms. With business hours switched off
 * (or `businessTime` false) it is wall-clock time.
 */
export const businessMsBetween = (hours: BusinessHours, from: number, to: number): number => {
  if (to <= from) return 0;
  if (!hours.enabled) return to - from;
  let total = 0;
  let date = localTime(from, hours.timezone).date;
  for (let i = 0; i < MAX_DAYS + (to - from) / DAY; i++) {
    const intervals = intervalsOn(hours, date);
    for (const [a, b] of intervals) {
      const start = Math.max(a, from);
      const end = Math.min(b, to);
      if (end > start) total += end - start;
    }
    const dayEnd = instantOf(nextDate(date), 0, hours.timezone);
    if (dayEnd >= to) break;
    date = nextDate(date);
  }
  return total;
};

/**
 * The instant at which `ms` of working time, counted from `from`, is used up
 * (an SLA deadline). Wall-clock when business hours are off; null when the
 * calendar has no working time within a year.
 */
export const addBusinessMs = (hours: BusinessHours, from: number, ms: number): number | null => {
  if (!hours.enabled) return from + ms;
  let left = ms;
  let date = localTime(from, hours.timezone).date;
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [a, b] of intervalsOn(hours, date)) {
      const start = Math.max(a, from);
      if (b <= start) continue;
      if (b - start >= left) return start + left;
      left -= b - start;
    }
    date = nextDate(date);
  }
  return null;
};

/** The day before a YYYY-MM-DD date. */
const previousDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) - DAY).toISOString().slice(0, 10);

/**
 * The latest instant from which `ms` of working time have passed by `to` —
 * the inverse of `addBusinessMs`: anything quiet since then (or earlier) has
 * been quiet for at least `ms` of working time (auto-close's "due" line).
 * Wall-clock when business hours are off; null when the calendar has no
 * working time within a year.
 */
export const subtractBusinessMs = (hours: BusinessHours, to: number, ms: number): number | null => {
  if (!hours.enabled || ms <= 0) return to - Math.max(0, ms);
  let left = ms;
  let date = localTime(to, hours.timezone).date;
  for (let i = 0; i < MAX_DAYS; i++) {
    const intervals = intervalsOn(hours, date);
    for (let j = intervals.length - 1; j >= 0; j--) {
      const [a, b] = intervals[j]!;
      const end = Math.min(b, to);
      if (end <= a) continue;
      if (end - a >= left) return end - left;
      left -= end - a;
    }
    date = previousDate(date);
  }
  return null;
};

/** The next instant at or after `from` when the team works (itself if open now); null if never within a year. */
export const nextOpening = (hours: BusinessHours, from: number): number | null => {
  if (!hours.enabled) return from;
  let date = localTime(from, hours.timezone).date;
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [a, b] of intervalsOn(hours, date)) if (b > from) return Math.max(a, from);
    date = nextDate(date);
  }
  return null;
};

/** Elapsed time between two instants, in business hours or wall-clock. */
export const elapsedMs = (hours: BusinessHours, from: number, to: number, businessTime: boolean): number =>
  businessTime ? businessMsBetween(hours, from, to) : Math.max(0, to - from);
