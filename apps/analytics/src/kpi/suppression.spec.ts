import { describe, expect, it } from '@jest/globals';
import { isSmallCell, maskPayments, suppressBreakdown } from './suppression';

describe('small-cell suppression', () => {
  it('withholds cells of one or two merchants, shows empty and larger ones', () => {
    expect([0, 1, 2, 3, 10].map(isSmallCell)).toEqual([false, true, true, false, false]);
  });

  it('nulls the payment figures of a withheld cell', () => {
    expect(maskPayments({ paymentsCount: 4, paymentsValue: 200_000 }, true)).toEqual({
      paymentsCount: null,
      paymentsValue: null,
    });
    expect(maskPayments({ paymentsCount: 4 }, false)).toEqual({ paymentsCount: 4 });
  });

  it('withholds a second cell when only one would be, so the total cannot give it away', () => {
    const rows = suppressBreakdown([
      { key: 'food_drink', merchants: 12, paymentsValue: 9_000_000 },
      { key: 'grocery', merchants: 4, paymentsValue: 1_000_000 },
      { key: 'fashion', merchants: 5, paymentsValue: 2_000_000 },
      { key: 'electronics', merchants: 1, paymentsValue: 5_000_000 },
      { key: 'other', merchants: 0, paymentsValue: 0 },
    ]);
    expect(rows.filter((r) => r.suppressed).map((r) => r.key)).toEqual(['grocery', 'electronics']);
  });

  it('needs no complement when two cells are already withheld', () => {
    const rows = suppressBreakdown([
      { key: 'a', merchants: 2, paymentsValue: 1 },
      { key: 'b', merchants: 1, paymentsValue: 1 },
      { key: 'c', merchants: 9, paymentsValue: 1 },
    ]);
    expect(rows.map((r) => r.suppressed)).toEqual([true, true, false]);
  });
});
