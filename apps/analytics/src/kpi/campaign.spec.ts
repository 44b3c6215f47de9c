import { describe, expect, it } from '@jest/globals';
import { campaignPeriods, compare, monthEquivalents, monthlyAverage, weightedMonthlyAverage } from './campaign';

describe('a 92-day campaign from 1 June to 31 August with 3 months before', () => {
  const periods = campaignPeriods('2025-06-01', '2025-08-31', 3);

  it('compares with March to May', () => {
    expect(periods).toEqual({
      during: { from: '2025-06-01', to: '2025-08-31' },
      before: { from: '2025-03-01', to: '2025-05-31' },
    });
    expect(monthEquivalents(periods.during)).toBe(3);
  });

  it('states the monthly average and its change the way provincial reports do', () => {
    const before = monthlyAverage(900, periods.before);
    const during = monthlyAverage(1_500, periods.during);
    expect(compare(before, during)).toEqual({ before: 300, during: 500, change: 200, changePercent: 66.7 });
  });
});

describe('campaigns that do not start on the 1st (partial months)', () => {
  it('pro-rates each partial month by its days', () => {
    const periods = campaignPeriods('2025-06-15', '2025-09-14', 3);
    expect(periods.before).toEqual({ from: '2025-03-15', to: '2025-06-14' });
    // 15–30 June = 16/30, July and August whole, 1–14 September = 14/30.
    expect(monthEquivalents(periods.during)).toBeCloseTo(16 / 30 + 2 + 14 / 30, 10);
    // 17/31 of March, April, May, 14/30 of June.
    expect(monthEquivalents(periods.before)).toBeCloseTo(17 / 31 + 2 + 14 / 30, 10);
    expect(monthlyAverage(3_000, periods.during)).toBe(1000);
  });

  it('clamps the start of the months before to a shorter month', () => {
    expect(campaignPeriods('2025-05-31', '2025-06-30', 3).before).toEqual({ from: '2025-02-28', to: '2025-05-30' });
  });

  it('a half-month campaign counts as half a month', () => {
    expect(monthlyAverage(100, { from: '2025-06-01', to: '2025-06-15' })).toBe(200);
  });

  it('weights month-by-month levels by the share of each month inside the period', () => {
    // 10 merchants active in a half-covered month, 20 in a whole month: (10×0.5 + 20×1) / 1.5.
    expect(
      weightedMonthlyAverage([
        { value: 10, fraction: 0.5 },
        { value: 20, fraction: 1 },
      ]),
    ).toBe(16.7);
    expect(weightedMonthlyAverage([])).toBe(0);
  });

  it('has no percentage when nothing happened before', () => {
    expect(compare(0, 12).changePercent).toBeNull();
  });
});
