import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addDays, bucketEnd, daysBetween } from '../kpi/calendar';
import type { Granularity } from '../kpi/calendar';
import { totalRanges } from './read-queries';

/** Each day's weight in a plan: +1 for every added row that holds it, −1 for every subtracted one. */
function weights(ranges: ReturnType<typeof totalRanges>): Map<string, number> {
  const weight = new Map<string, number>();
  for (const r of ranges) {
    // A run of `period` rows starts at `from` and ends with the row starting at `to`.
    for (let start = r.from; start <= r.to; start = addDays(bucketEnd(r.period, start), 1)) {
      for (let day = start; day <= bucketEnd(r.period, start); day = addDays(day, 1))
        weight.set(day, (weight.get(day) ?? 0) + (r.sign ?? 1));
    }
  }
  return weight;
}

describe('street_total rows of a street’s days', () => {
  const day = fc.integer({ min: 0, max: 900 }).map((n) => addDays('2025-01-01', n));

  it('add up to every day of the range once and to nothing outside it', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom<Granularity | undefined>(undefined, 'month', 'week', 'day'),
        (from, length, granularity) => {
          const to = addDays(from, length);
          const weight = weights(totalRanges({ streetId: 's', from, to, key: 'k' }, granularity));
          for (const [d, w] of weight) expect([d, w]).toEqual([d, d >= from && d <= to ? 1 : 0]);
          expect([...weight].filter(([, w]) => w === 1).length).toBe(daysBetween(from, to) + 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads most of a month as the month less the days it leaves out', () => {
    const ranges = totalRanges({ streetId: 's', from: '2026-06-01', to: '2026-06-27' }, undefined);
    expect(ranges.map((r) => [r.period, r.from, r.to, r.sign ?? 1])).toEqual([
      ['month', '2026-06-01', '2026-06-01', 1],
      ['day', '2026-06-28', '2026-06-30', -1],
    ]);
    expect(totalRanges({ streetId: 's', from: '2026-03-28', to: '2026-03-31' }, undefined)).toHaveLength(1);
  });
});
