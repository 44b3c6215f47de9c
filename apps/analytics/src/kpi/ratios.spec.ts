import { describe, expect, it } from '@jest/globals';
import { averageTicket, funnelOf, percentChange, ratio, withGrowth } from './ratios';

describe('adoption funnel', () => {
  it('gives each stage as a share of the target and the target score (approved ÷ target)', () => {
    const funnel = funnelOf({ targetBusinesses: 80, registered: 60, approved: 48, active7d: 30, active30d: 40 });
    expect(funnel.shares).toEqual({ registered: 0.75, approved: 0.6, active7d: 0.375, active30d: 0.5 });
    expect(funnel.targetScore).toBe(0.6);
    expect(funnel.conversion).toEqual({
      approvedOfRegistered: 0.8,
      active30dOfApproved: 0.8333,
      active7dOfApproved: 0.625,
    });
  });

  it('has no shares or score without a target, and can exceed 1 above it', () => {
    const none = funnelOf({ targetBusinesses: null, registered: 5, approved: 4, active7d: 1, active30d: 3 });
    expect(none.targetScore).toBeNull();
    expect(none.shares.registered).toBeNull();
    expect(
      funnelOf({ targetBusinesses: 10, registered: 12, approved: 12, active7d: 0, active30d: 0 }).targetScore,
    ).toBe(1.2);
  });
});

describe('growth and averages', () => {
  it('states a percentage change with one decimal, none after nothing', () => {
    expect(percentChange(150, 100)).toBe(50);
    expect(percentChange(2, 3)).toBe(-33.3);
    expect(percentChange(5, 0)).toBeNull();
    expect(percentChange(null, 4)).toBeNull();
  });

  it('rounds ratios to 4 decimals and the average ticket to whole đồng', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(1, 0)).toBeNull();
    expect(averageTicket(100_001, 2)).toBe(50_001);
    expect(averageTicket(0, 0)).toBeNull();
  });

  it('adds week-on-week growth to a series', () => {
    const series = withGrowth([
      { paymentsCount: 10, paymentsValue: 1000 },
      { paymentsCount: 15, paymentsValue: 900 },
      { paymentsCount: null, paymentsValue: null },
    ]);
    expect(series.map((p) => p.growth)).toEqual([
      { paymentsCount: null, paymentsValue: null },
      { paymentsCount: 50, paymentsValue: -10 },
      { paymentsCount: null, paymentsValue: null },
    ]);
  });
});
