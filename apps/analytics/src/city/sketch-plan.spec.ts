import { describe, expect, it } from '@jest/globals';
import { sketchPieces, splitWholeMonths } from './sketch-plan';

const streetId = 's';

describe('covering a street’s days with stored periods', () => {
  it('reads whole months, then whole weeks, then days', () => {
    const pieces = sketchPieces({ streetId, from: '2025-05-28', to: '2025-07-09' });
    expect(pieces.map((p) => `${p.period} ${p.start}`)).toEqual([
      'day 2025-05-28',
      'day 2025-05-29',
      'day 2025-05-30',
      'day 2025-05-31',
      'month 2025-06-01',
      'day 2025-07-01', // a Tuesday: no whole week fits before the 9th
      'day 2025-07-02',
      'day 2025-07-03',
      'day 2025-07-04',
      'day 2025-07-05',
      'day 2025-07-06',
      'day 2025-07-07',
      'day 2025-07-08',
      'day 2025-07-09',
    ]);
    expect(sketchPieces({ streetId, from: '2025-06-09', to: '2025-06-22' }).map((p) => p.period)).toEqual([
      'week',
      'week',
    ]);
    // A week across two months is one piece unless a whole month follows it in the range.
    expect(sketchPieces({ streetId, from: '2025-06-30', to: '2025-07-06' }).map((p) => p.period)).toEqual(['week']);
    expect(
      sketchPieces({ streetId, from: '2025-06-30', to: '2025-07-31' }).map((p) => `${p.period} ${p.start}`),
    ).toEqual(['day 2025-06-30', 'month 2025-07-01']);
  });

  it('splits a range into whole months and the days around them', () => {
    expect(splitWholeMonths({ streetId, from: '2025-05-20', to: '2025-08-10' })).toEqual({
      months: [
        { streetId, month: '2025-06-01' },
        { streetId, month: '2025-07-01' },
      ],
      days: [
        { streetId, from: '2025-05-20', to: '2025-05-31' },
        { streetId, from: '2025-08-01', to: '2025-08-10' },
      ],
    });
    expect(splitWholeMonths({ streetId, from: '2025-06-01', to: '2025-06-30' })).toEqual({
      months: [{ streetId, month: '2025-06-01' }],
      days: [],
    });
    expect(splitWholeMonths({ streetId, from: '2025-06-02', to: '2025-06-05' })).toEqual({
      months: [],
      days: [{ streetId, from: '2025-06-02', to: '2025-06-05' }],
    });
  });
});
