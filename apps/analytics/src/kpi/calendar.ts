/**
 * Calendar days in Vietnam (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving). A day is
 * written `YYYY-MM-DD`; arithmetic goes through UTC midnight so it never depends on the host's zone.
 */
export type Granularity = 'day' | 'week' | 'month';

const VIETNAM_UTC_OFFSET_MS = 7 * 3600_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Vietnamese calendar day of an instant. */
export function vietnamDay(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isDay(text: string): boolean {
  const m = ISO_DAY.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/*
 * Day arithmetic on day numbers (days since 1970-01-01) with the proleptic Gregorian formulas of
 * H. Hinnant's "chrono-compatible low-level date algorithms": reports cut ranges into hundreds of
 * buckets and sketch pieces per request, and going through Date and toISOString cost more than
 * the rest of the report's work.
 */
function dayNumber(day: string): number {
  const m = Number(day.slice(5, 7));
  const y = Number(day.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + Number(day.slice(8, 10)) - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function dayOf(dayNo: number): string {
  const z = dayNo + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${twoDigits(m)}-${twoDigits(d)}`;
}

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, months: number): string {
  const index = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + months;
  const y = Math.floor(index / 12);
  return `${String(y).padStart(4, '0')}-${twoDigits(index - y * 12 + 1)}-01`;
}

export function monthEnd(day: string): string {
  return addDays(addMonths(day, 1), -1);
}

export function daysInMonth(day: string): number {
  return Number(monthEnd(day).slice(8, 10));
}

/** Monday of the ISO week that contains `day`. */
export function weekStart(day: string): string {
  const n = dayNumber(day);
  // Day 0 (1970-01-01) was a Thursday: three days after a Monday.
  return dayOf(n - ((((n + 3) % 7) + 7) % 7));
}

export function bucketStart(granularity: Granularity, day: string): string {
  if (granularity === 'day') return day;
  return granularity === 'week' ? weekStart(day) : monthStart(day);
}

export function bucketEnd(granularity: Granularity, start: string): string {
  if (granularity === 'day') return start;
  return granularity === 'week' ? addDays(start, 6) : monthEnd(start);
}

export interface Bucket {
  /** The bucket's own first day (a Monday, the 1st, or the day itself). */
  start: string;
  /** First and last day of the bucket inside the requested range. */
  from: string;
  to: string;
  /** The range covers only part of the bucket. */
  partial: boolean;
}

/** The day/week/month buckets that cover [from, to], clipped to it. */
export function bucketsOf(granularity: Granularity, from: string, to: string): Bucket[] {
  const buckets: Bucket[] = [];
  for (let start = bucketStart(granularity, from); start <= to;) {
    const end = bucketEnd(granularity, start);
    const clippedFrom = start < from ? from : start;
    const clippedTo = end > to ? to : end;
    buckets.push({ start, from: clippedFrom, to: clippedTo, partial: clippedFrom !== start || clippedTo !== end });
    start = addDays(end, 1);
  }
  return buckets;
}

/** The months [from, to] touches, each with the share of its days it covers (1 for a whole month). */
export function monthCoverage(from: string, to: string): { month: string; days: number; fraction: number }[] {
  return bucketsOf('month', from, to).map((b) => {
    const days = daysBetween(b.from, b.to) + 1;
    return { month: b.start, days, fraction: days / daysInMonth(b.start) };
  });
}

/**
 * Bit d−1 set for each day d of `month` that lies in [from, to]: the mask `merchant_activity.active_days`
 * is tested against (same arithmetic as the SQL in the read queries).
 */
export function dayMask(month: string, from: string, to: string): number {
  const lo = from > month ? from : month;
  const end = monthEnd(month);
  const hi = to < end ? to : end;
  if (lo > hi) return 0;
  const first = Number(lo.slice(8, 10));
  const last = Number(hi.slice(8, 10));
  return 2 ** last - 2 ** (first - 1);
}
