import type { Composer } from 'vue-i18n';

type T = Composer['t'];

/** A compact elapsed time: "agora", "45 s", "12 min", "1 h 5 min", "3 d". */
export const formatElapsed = (t: T, ms: number): string => (ms < 5000 ? t('time.now') : formatDuration(t, ms));

/** A compact length of time, never "agora" (a two-second service lasted "2 s", not "now"): "0 s", "12 min", "1 h 5 min". */
export const formatDuration = (t: T, ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('time.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('time.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? t('time.hours', { h, m: m % 60 }) : t('time.hoursOnly', { h });
  return t('time.days', { n: Math.floor(h / 24) });
};

/** A "há {time}" phrase that says "just now" instead of "há agora" in its first seconds. */
export const elapsedPhrase = (t: T, ms: number, key: string, justNowKey: string): string =>
  ms < 5000 ? t(justNowKey) : t(key, { time: formatElapsed(t, ms) });

const timeFormat = new Map<string, Intl.DateTimeFormat>();

/** "14:05" today, "12/03 14:05" on another day. */
export const formatClock = (locale: string, at: number, now = Date.now()): string => {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  const key = `${locale}:${sameDay}`;
  let f = timeFormat.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' });
    timeFormat.set(key, f);
  }
  return f.format(at);
};

/** Up to two initials from the words that start with a letter ("+55 21 99999-0000" has none). */
export const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter((w) => /^\p{L}/u.test(w))
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');

/**
 * A Brazilian number as people write it ("+55 11 91234-5280"); any other
 * number as it was stored. Only for showing: the stored digits stay as they are.
 */
export const formatPhone = (phone: string): string => {
  const m = /^\+?55(\d{2})(\d{4,5})(\d{4})$/.exec(phone.replace(/[\s()-]/g, ''));
  return m ? `+55 ${m[1]} ${m[2]}-${m[3]}` : phone;
};
