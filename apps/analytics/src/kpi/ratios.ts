/** Shares, scores and growth: plain arithmetic with the rounding the dashboard shows. */

/** a ÷ b to 4 decimals, or null when b is missing or zero (no target, nothing before). */
export function ratio(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return Math.round((a / b) * 10_000) / 10_000;
}

/** Percentage change from `before` to `after`, one decimal; null when there was nothing before. */
export function percentChange(after: number | null, before: number | null): number | null {
  if (after === null || before === null || before === 0) return null;
  return Math.round(((after - before) / before) * 1000) / 10;
}

/** Average ticket in whole đồng (rounded half up), null without payments. */
export function averageTicket(value: number | null, count: number | null): number | null {
  if (value === null || count === null || count === 0) return null;
  return Math.round(value / count);
}

export interface FunnelCounts {
  targetBusinesses: number | null;
  registered: number;
  approved: number;
  active7d: number;
  active30d: number;
}

export interface Funnel extends FunnelCounts {
  /** Each stage ÷ the businesses expected (null without a target). */
  shares: { registered: number | null; approved: number | null; active7d: number | null; active30d: number | null };
  /** Each stage ÷ the stage before it. */
  conversion: {
    approvedOfRegistered: number | null;
    active30dOfApproved: number | null;
    active7dOfApproved: number | null;
  };
  /** CityScore-style: merchants that joined (approved, board issued) ÷ target; 1 = on target. */
  targetScore: number | null;
}

/** The adoption funnel of an area: expected → registered → approved → active, as counts and shares. */
export function funnelOf(counts: FunnelCounts): Funnel {
  const target = counts.targetBusinesses;
  return {
    ...counts,
    shares: {
      registered: ratio(counts.registered, target),
      approved: ratio(counts.approved, target),
      active7d: ratio(counts.active7d, target),
      active30d: ratio(counts.active30d, target),
    },
    conversion: {
      approvedOfRegistered: ratio(counts.approved, counts.registered),
      active30dOfApproved: ratio(counts.active30d, counts.approved),
      active7dOfApproved: ratio(counts.active7d, counts.approved),
    },
    targetScore: ratio(counts.approved, target),
  };
}

/** Adds each point's change against the point before it (week-on-week, month-on-month). */
export function withGrowth<T extends { paymentsCount: number | null; paymentsValue: number | null }>(
  series: T[],
): (T & { growth: { paymentsCount: number | null; paymentsValue: number | null } })[] {
  return series.map((point, i) => {
    const previous = i > 0 ? series[i - 1] : null;
    return {
      ...point,
      growth: {
        paymentsCount: percentChange(point.paymentsCount, previous?.paymentsCount ?? null),
        paymentsValue: percentChange(point.paymentsValue, previous?.paymentsValue ?? null),
      },
    };
  });
}
