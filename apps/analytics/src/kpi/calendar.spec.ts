import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  bucketsOf,
  dayMask,
  daysBetween,
  daysInMonth,
  isDay,
  monthCoverage,
  monthEnd,
  vietnamDay,
  weekStart,
} from './calendar';

/** The same arithmetic through Date in UTC: the reference the day-number formulas must match. */
const viaDate = {
  day: (ms: number) => new Date(ms).toISOString().slice(0, 10),
  ms: (day: string) => Date.parse(`${day}T00:00:00Z`),
};
const anyDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('Vietnamese calendar days', () => {
  it('puts an instant on its day in Asia/Ho_Chi_Minh (UTC+7), whatever its offset', () => {
    expect(vietnamDay('2025-06-30T16:59:59Z')).toBe('2025-06-30');
    expect(vietnamDay('2025-06-30T17:00:00Z')).toBe('2025-07-01');
    expect(vietnamDay('2025-07-01T00:30:00+07:00')).toBe('2025-07-01');
  });

  it('accepts only real days', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2025-02-29')).toBe(false);
    expect(isDay('2025-6-1')).toBe(false);
  });

  it('starts weeks on Monday', () => {
    expect(weekStart('2025-06-01')).toBe('2025-05-26'); // a Sunday
    expect(weekStart('2025-06-02')).toBe('2025-06-02');
  });

  it('cuts a range into buckets clipped to it, flagging partial ones', () => {
    expect(bucketsOf('month', '2025-06-15', '2025-08-10')).toEqual([
      { start: '2025-06-01', from: '2025-06-15', to: '2025-06-30', partial: true },
      { start: '2025-07-01', from: '2025-07-01', to: '2025-07-31', partial: false },
      { start: '2025-08-01', from: '2025-08-01', to: '2025-08-10', partial: true },
    ]);
    expect(bucketsOf('week', '2025-06-02', '2025-06-15').map((b) => [b.start, b.partial])).toEqual([
      ['2025-06-02', false],
      ['2025-06-09', false],
    ]);
    expect(bucketsOf('day', '2025-06-01', '2025-06-03')).toHaveLength(3);
  });

  it('measures how much of each month a range covers', () => {
    expect(monthCoverage('2025-06-15', '2025-07-31')).toEqual([
      { month: '2025-06-01', days: 16, fraction: 16 / 30 },
      { month: '2025-07-01', days: 31, fraction: 1 },
    ]);
  });

  it('builds the day masks of a month, bit d−1 for day d', () => {
    expect(dayMask('2025-06-01', '2025-06-01', '2025-06-01')).toBe(1);
    expect(dayMask('2025-06-01', '2025-06-02', '2025-06-03')).toBe(0b110);
    expect(dayMask('2025-07-01', '2025-01-01', '2025-12-31')).toBe(2 ** 31 - 1);
    expect(dayMask('2025-07-01', '2025-08-01', '2025-12-31')).toBe(0);
  });

  it('does day and month arithmetic exactly as the Gregorian calendar does', () => {
    fc.assert(
      fc.property(
        anyDay,
        fc.integer({ min: -4000, max: 4000 }),
        fc.integer({ min: -40, max: 40 }),
        (day, n, months) => {
          expect(addDays(day, n)).toBe(viaDate.day(viaDate.ms(day) + n * 86_400_000));
          expect(daysBetween(day, addDays(day, n))).toBe(n);
          const shifted = new Date(viaDate.ms(`${day.slice(0, 7)}-01`));
          shifted.setUTCMonth(shifted.getUTCMonth() + months);
          expect(addMonths(day, months)).toBe(viaDate.day(shifted.getTime()));
          const weekday = new Date(viaDate.ms(day)).getUTCDay();
          expect(weekStart(day)).toBe(viaDate.day(viaDate.ms(day) - ((weekday + 6) % 7) * 86_400_000));
          expect(monthEnd(day)).toBe(viaDate.day(viaDate.ms(addMonths(day, 1)) - 86_400_000));
        },
      ),
      { numRuns: 2000 },
    );
    expect(daysInMonth('2024-02-10')).toBe(29);
    expect(daysInMonth('2100-02-10')).toBe(28);
    expect(daysInMonth('2000-02-10')).toBe(29);
    expect(monthEnd('2025-12-05')).toBe('2025-12-31');
  });
});
