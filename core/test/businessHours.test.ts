import { describe, expect, it } from 'vitest';
import { addBusinessMs, businessMsBetween, defaultSettings, intervalsOn, isWithinBusinessHours, nextOpening, subtractBusinessMs, type BusinessHours } from '../src/index.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
/** A São Paulo wall-clock time (UTC−3, no DST since 2019) as an instant. */
const sp = (local: string) => Date.parse(`${local}:00-03:00`);

/** Mon–Fri 08:00–12:00 and 13:00–18:00 (a lunch break), Saturday 09:00–13:00, a holiday on Christmas. */
const hours: BusinessHours = {
  ...defaultSettings(0).businessHours,
  enabled: true,
  days: [
    ...[1, 2, 3, 4, 5].flatMap((day) => [
      { day, open: '08:00', close: '12:00' },
      { day, open: '13:00', close: '18:00' },
    ]),
    { day: 6, open: '09:00', close: '13:00' },
  ],
  holidays: ['2026-12-25'],
};

describe('business hours: one function for the message, SLA, reports and auto-close', () => {
  it('is open inside either interval of a day and closed over lunch, at night, on Sunday and on a holiday', () => {
    expect(isWithinBusinessHours(hours, sp('2026-11-23T08:00'))).toBe(true); // Monday, opening minute
    expect(isWithinBusinessHours(hours, sp('2026-11-23T11:59'))).toBe(true);
    expect(isWithinBusinessHours(hours, sp('2026-11-23T12:00'))).toBe(false); // lunch
    expect(isWithinBusinessHours(hours, sp('2026-11-23T12:30'))).toBe(false);
    expect(isWithinBusinessHours(hours, sp('2026-11-23T13:00'))).toBe(true);
    expect(isWithinBusinessHours(hours, sp('2026-11-23T18:00'))).toBe(false); // closing minute is closed
    expect(isWithinBusinessHours(hours, sp('2026-11-28T10:00'))).toBe(true); // Saturday morning
    expect(isWithinBusinessHours(hours, sp('2026-11-29T10:00'))).toBe(false); // Sunday
    expect(isWithinBusinessHours(hours, sp('2026-12-25T10:00'))).toBe(false); // Friday, Christmas
    expect(isWithinBusinessHours({ ...hours, enabled: false }, sp('2026-11-29T03:00'))).toBe(true);
  });

  it('intervals of a day are instants in the workspace time zone, overlapping ones merged', () => {
    expect(intervalsOn(hours, '2026-11-23')).toEqual([
      [sp('2026-11-23T08:00'), sp('2026-11-23T12:00')],
      [sp('2026-11-23T13:00'), sp('2026-11-23T18:00')],
    ]);
    const overlapping = { ...hours, days: [{ day: 1, open: '08:00', close: '12:00' }, { day: 1, open: '11:00', close: '14:00' }] };
    expect(intervalsOn(overlapping, '2026-11-23')).toEqual([[sp('2026-11-23T08:00'), sp('2026-11-23T14:00')]]);
    expect(intervalsOn(hours, '2026-12-25')).toEqual([]);
  });

  it('counts working time across lunch, nights and a weekend', () => {
    // Monday 11:00 → 14:00: 1 h before lunch + 1 h after.
    expect(businessMsBetween(hours, sp('2026-11-23T11:00'), sp('2026-11-23T14:00'))).toBe(2 * HOUR);
    // Friday 17:00 → Monday 09:00: 1 h Friday + 4 h Saturday + 0 Sunday + 1 h Monday.
    expect(businessMsBetween(hours, sp('2026-11-27T17:00'), sp('2026-11-30T09:00'))).toBe(6 * HOUR);
    // Entirely at night: nothing.
    expect(businessMsBetween(hours, sp('2026-11-23T19:00'), sp('2026-11-24T07:00'))).toBe(0);
    // Christmas Friday counts nothing; Thursday 17:00 → Saturday 10:00 = 1 h + 1 h.
    expect(businessMsBetween(hours, sp('2026-12-24T17:00'), sp('2026-12-26T10:00'))).toBe(2 * HOUR);
    // Switched off: wall-clock.
    expect(businessMsBetween({ ...hours, enabled: false }, sp('2026-11-27T17:00'), sp('2026-11-30T09:00'))).toBe(64 * HOUR);
    expect(businessMsBetween(hours, sp('2026-11-23T14:00'), sp('2026-11-23T11:00'))).toBe(0);
  });

  it('adds working time to find a deadline, skipping lunch, the weekend and holidays', () => {
    // 30 min from Monday 11:50 → 13:20 (lunch skipped).
    expect(addBusinessMs(hours, sp('2026-11-23T11:50'), 30 * MIN)).toBe(sp('2026-11-23T13:20'));
    // 2 h from Saturday 12:00 → 1 h Saturday, then Monday 09:00.
    expect(addBusinessMs(hours, sp('2026-11-28T12:00'), 2 * HOUR)).toBe(sp('2026-11-30T09:00'));
    // Arriving at night: the clock starts at the next opening.
    expect(addBusinessMs(hours, sp('2026-11-23T22:00'), 15 * MIN)).toBe(sp('2026-11-24T08:15'));
    // Over Christmas (Friday) to Saturday.
    expect(addBusinessMs(hours, sp('2026-12-24T17:30'), HOUR)).toBe(sp('2026-12-26T09:30'));
    expect(addBusinessMs({ ...hours, enabled: false }, 1000, 5000)).toBe(6000);
    expect(addBusinessMs({ ...hours, days: [] }, sp('2026-11-23T10:00'), HOUR)).toBeNull();
    // The inverse of each other.
    const start = sp('2026-11-27T16:10');
    const due = addBusinessMs(hours, start, 7 * HOUR)!;
    expect(businessMsBetween(hours, start, due)).toBe(7 * HOUR);
  });

  it('walks working time backwards (auto-close\'s due line), the inverse of counting it', () => {
    // Monday 09:00 minus 2 working hours: Saturday 12:00 (Saturday works 09–13; Sunday is closed).
    expect(subtractBusinessMs(hours, sp('2026-11-30T09:00'), 2 * HOUR)).toBe(sp('2026-11-28T12:00'));
    // Across lunch: Monday 14:00 minus 90 min is 11:30.
    expect(subtractBusinessMs(hours, sp('2026-11-23T14:00'), 90 * MIN)).toBe(sp('2026-11-23T11:30'));
    for (const [to, ms] of [[sp('2026-11-30T09:00'), 7 * HOUR], [sp('2026-12-26T10:00'), 30 * HOUR], [sp('2026-11-24T12:40'), 45 * MIN]] as const) {
      expect(businessMsBetween(hours, subtractBusinessMs(hours, to, ms)!, to)).toBe(ms);
    }
    expect(subtractBusinessMs({ ...hours, enabled: false }, 1_000_000, 1000)).toBe(999_000);
    expect(subtractBusinessMs({ ...hours, days: [] }, sp('2026-11-30T09:00'), HOUR)).toBeNull();
  });

  it('finds the next opening', () => {
    expect(nextOpening(hours, sp('2026-11-23T12:10'))).toBe(sp('2026-11-23T13:00'));
    expect(nextOpening(hours, sp('2026-11-23T10:00'))).toBe(sp('2026-11-23T10:00'));
    expect(nextOpening(hours, sp('2026-11-28T14:00'))).toBe(sp('2026-11-30T08:00'));
  });

  it('works in another time zone too (Lisbon: DST in summer)', () => {
    const lisbon: BusinessHours = { ...hours, timezone: 'Europe/Lisbon', days: [{ day: 1, open: '09:00', close: '17:00' }], holidays: [] };
    // 2026-07-06 is a Monday in summer (UTC+1): 09:00 local = 08:00Z.
    expect(intervalsOn(lisbon, '2026-07-06')).toEqual([[Date.parse('2026-07-06T08:00:00Z'), Date.parse('2026-07-06T16:00:00Z')]]);
    expect(intervalsOn(lisbon, '2026-01-05')).toEqual([[Date.parse('2026-01-05T09:00:00Z'), Date.parse('2026-01-05T17:00:00Z')]]);
  });
});
