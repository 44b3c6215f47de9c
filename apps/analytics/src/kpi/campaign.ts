import { addDays, addMonths, daysInMonth, monthCoverage } from './calendar';
import { percentChange } from './ratios';

/**
 * Campaign arithmetic the way provincial reports state results: the monthly average during the
 * campaign against the monthly average of the N months before it, as a difference and a
 * percentage. Periods need not be whole months: a month only partly inside a period counts for
 * the share of its days it covers (15–30 June = 16/30 of a month).
 */
export interface Period {
  from: string;
  to: string;
}

export interface CampaignPeriods {
  during: Period;
  /** The `monthsBefore` months that end the day before the campaign starts. */
  before: Period;
}

export function campaignPeriods(startDate: string, endDate: string, monthsBefore: number): CampaignPeriods {
  // The same day of the month N months earlier, clamped to that month's length (31 May → 28 Feb).
  const monthBack = addMonths(startDate, -monthsBefore);
  const day = Math.min(Number(startDate.slice(8, 10)), daysInMonth(monthBack));
  const from = `${monthBack.slice(0, 8)}${String(day).padStart(2, '0')}`;
  return { during: { from: startDate, to: endDate }, before: { from, to: addDays(startDate, -1) } };
}

/** How many months a period is worth: whole months count 1, partial months their share of days. */
export function monthEquivalents(period: Period): number {
  return monthCoverage(period.from, period.to).reduce((sum, m) => sum + m.fraction, 0);
}

/** A flow (payments, value, new merchants) per month over the period; one decimal. */
export function monthlyAverage(total: number, period: Period | { monthEquivalents: number }): number {
  const months = 'monthEquivalents' in period ? period.monthEquivalents : monthEquivalents(period);
  return months === 0 ? 0 : Math.round((total / months) * 10) / 10;
}

/**
 * A level measured month by month (merchants active in the month): the average of the months,
 * each weighted by the share of it inside the period; one decimal.
 */
export function weightedMonthlyAverage(months: { value: number; fraction: number }[]): number {
  const weight = months.reduce((s, m) => s + m.fraction, 0);
  if (weight === 0) return 0;
  const sum = months.reduce((s, m) => s + m.value * m.fraction, 0);
  return Math.round((sum / weight) * 10) / 10;
}

export interface Comparison {
  before: number;
  during: number;
  /** during − before (one decimal). */
  change: number;
  /** Percentage change; null when nothing happened before. */
  changePercent: number | null;
}

export function compare(before: number, during: number): Comparison {
  return {
    before,
    during,
    change: Math.round((during - before) * 10) / 10,
    changePercent: percentChange(during, before),
  };
}
