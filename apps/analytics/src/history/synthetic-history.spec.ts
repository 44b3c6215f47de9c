import { describe, expect, it } from '@jest/globals';
import { analyticsCatalog } from '../events';
import { dayFactor, merchantHistory, paymentHistory, planHistory } from './synthetic-history';

const streets = [
  { id: '0193a5a0-0000-7000-8000-0000000000a1', wardId: null },
  { id: '0193a5a0-0000-7000-8000-0000000000a2', wardId: null },
];
const plan = planHistory({ months: 3, merchants: 12, streets, endDay: '2025-03-31', seed: 42 });

describe('synthetic history', () => {
  it('publishes only events the catalogs accept', () => {
    const events = [...merchantHistory(plan), ...paymentHistory(plan)];
    expect(events.length).toBeGreaterThan(100);
    for (const event of events) expect(() => analyticsCatalog.validate(event)).not.toThrow();
  });

  it('is the same history for the same seed', () => {
    const again = planHistory({ months: 3, merchants: 12, streets, endDay: '2025-03-31', seed: 42 });
    expect(again.merchants).toEqual(plan.merchants);
    expect([...paymentHistory(again)].map((e) => e.id).slice(0, 50)).toEqual(
      [...paymentHistory(plan)].map((e) => e.id).slice(0, 50),
    );
  });

  it('spreads shops over the streets and keeps payments inside the period and opening hours', () => {
    expect(new Set(plan.merchants.map((m) => m.streetId)).size).toBe(2);
    for (const event of paymentHistory(plan)) {
      const at = (event.data as { transfer: { transferredAt: string } }).transfer.transferredAt;
      const local = new Date(Date.parse(at) + 7 * 3600_000);
      expect(local.toISOString().slice(0, 10) >= plan.from && local.toISOString().slice(0, 10) <= plan.to).toBe(true);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(6);
      expect(local.getUTCHours()).toBeLessThan(22);
    }
  });

  it('dips over Tết, rises at weekends and during the campaign', () => {
    const none = { from: '2000-01-01', to: '2000-01-01', uplift: 1 };
    expect(dayFactor('2025-01-30', none)).toBeLessThan(0.2); // 2nd day of Tết 2025
    expect(dayFactor('2025-03-08', none)).toBeGreaterThan(dayFactor('2025-03-10', none)); // Saturday vs Monday
    expect(dayFactor('2025-06-10', { from: '2025-06-01', to: '2025-08-31', uplift: 1.35 })).toBeCloseTo(
      dayFactor('2025-06-10', none) * 1.35,
    );
  });
});
