/**
 * The scheduled roll-up's mark (reports/rollup.ts): the last day whose
 * numbers the month documents hold, kept as the counter
 * `reports.rolledUpThrough` with the date as a number (20261201), so any
 * staff member's console may read it like a tab count, on both backends.
 * Zod-free: the Relatórios store reads it before planning a period.
 */
export const ROLLED_UP_COUNTER = 'reports.rolledUpThrough';

/** A YYYY-MM-DD date as the counter's value. */
export const rollUpMarkValue = (day: string): number => Number(day.replaceAll('-', ''));

/** The counter's value as a YYYY-MM-DD date; null when there is none (nothing rolled up yet). */
export const rollUpMarkDay = (value: number | null | undefined): string | null => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 10_000_101) return null;
  const s = String(value);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};
