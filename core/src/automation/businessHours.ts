import type { Settings } from '../model/index.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The local weekday, date and minutes-since-midnight of an instant in a time zone. */
export const localTime = (now: number, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    day: WEEKDAYS.indexOf(get('weekday')),
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
};

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** D5: whether the team is working at this instant (holidays count as closed). */
export const isWithinBusinessHours = (hours: Settings['businessHours'], now: number): boolean => {
  if (!hours.enabled) return true;
  const t = localTime(now, hours.timezone);
  if (hours.holidays.includes(t.date)) return false;
  return hours.days.some((d) => d.day === t.day && t.minutes >= toMinutes(d.open) && t.minutes < toMinutes(d.close));
};
