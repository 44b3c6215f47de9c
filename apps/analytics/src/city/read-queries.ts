import type { EntityManager } from 'typeorm';
import type { Bucket, Granularity } from '../kpi/calendar';
import { estimate, emptySketch, mergeInto } from '../projections/shopper-sketch';
import { sketchPieces, splitWholeMonths } from './sketch-plan';

/**
 * Read queries over the derived tables. Every query takes segments (a street and the days of it
 * that count) so former wards and partial periods need no special case. Money comes back from
 * PostgreSQL as text (bigint) and becomes a number here, once: sums stay far below 2^53.
 */
export interface Segment {
  streetId: string;
  from: string;
  to: string;
}

export interface Filters {
  category?: string;
  bank?: string;
}

export type Dimension = 'street' | 'category' | 'bank';

export interface PaymentSums {
  street?: string;
  category?: string;
  bank?: string;
  bucket?: string;
  count: number;
  value: number;
  late: number;
  failed: number;
}

const PAYMENT_COLUMN: Record<Dimension, string> = { street: 'd.street_id', category: 'd.category', bank: 'd.bank_bin' };
const ACTIVITY_COLUMN: Record<Dimension, string> = {
  street: 'a.street_id',
  category: 'a.category',
  bank: 'a.bank_bin',
};

const segmentParams = (segments: Segment[]) => [
  segments.map((s) => s.streetId),
  segments.map((s) => s.from),
  segments.map((s) => s.to),
];

function selectDims(dims: Dimension[], columns: Record<Dimension, string>): string {
  return dims.map((d) => `${columns[d]}::text AS ${d}`).join(', ');
}

/**
 * Payment count, value, late and failed sums over the segments, grouped by `dims` (and bucket).
 * Whole months are read from `monthly_payment` (unless the buckets are days or weeks), the days
 * around them from `daily_payment`.
 */
export async function paymentSums(
  em: EntityManager,
  segments: Segment[],
  filters: Filters,
  dims: Dimension[],
  granularity?: Granularity,
): Promise<PaymentSums[]> {
  if (segments.length === 0) return [];
  const useMonths = granularity === undefined || granularity === 'month';
  const parts = segments.map((s) => (useMonths ? splitWholeMonths(s) : { months: [], days: [s] }));
  const days = parts.flatMap((p) => p.days);
  const months = parts.flatMap((p) => p.months);
  const bucket =
    granularity === undefined ? null : granularity === 'day' ? 'd.day' : `date_trunc('${granularity}', d.day)::date`;
  const keys = [...dims.map((d) => PAYMENT_COLUMN[d]), ...(bucket ? [bucket] : [])];
  const select = [selectDims(dims, PAYMENT_COLUMN), bucket ? `${bucket}::text AS bucket` : ''].filter(Boolean);
  const figures = 'payments_count, payments_value, late_count, failed_count';
  const rows = (await em.query(
    `SELECT ${[
      ...select,
      'sum(d.payments_count)::int AS count',
      'sum(d.payments_value)::text AS value',
      'sum(d.late_count)::int AS late',
      'sum(d.failed_count)::int AS failed',
    ].join(', ')}
     FROM (
       SELECT p.day, p.street_id, p.category, p.bank_bin, ${figures}
       FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
       JOIN daily_payment p ON p.street_id = s.street_id AND p.day BETWEEN s.f AND s.t
       UNION ALL
       SELECT m.month, m.street_id, m.category, m.bank_bin, ${figures}
       FROM unnest($6::uuid[], $7::date[]) AS k(street_id, month)
       JOIN monthly_payment m ON m.street_id = k.street_id AND m.month = k.month
     ) d
     WHERE ($4::text IS NULL OR d.category = $4) AND ($5::text IS NULL OR d.bank_bin = $5)
     ${keys.length ? `GROUP BY ${keys.join(', ')}` : ''}`,
    [
      ...segmentParams(days),
      filters.category ?? null,
      filters.bank ?? null,
      months.map((m) => m.streetId),
      months.map((m) => m.month),
    ],
  )) as (Omit<PaymentSums, 'value'> & { value: string | null })[];
  return rows.filter((r) => r.count !== null).map((r) => ({ ...r, value: Number(r.value ?? 0) }));
}

/**
 * Distinct merchants with at least one payment, per bucket and `dims`, from the monthly day masks
 * of `merchant_activity` (exact over any range).
 */
export async function activeMerchants(
  em: EntityManager,
  segments: Segment[],
  filters: Filters,
  dims: Dimension[],
  buckets: Pick<Bucket, 'start' | 'from' | 'to'>[],
): Promise<{ street?: string; category?: string; bank?: string; bucket: string; merchants: number }[]> {
  if (segments.length === 0 || buckets.length === 0) return [];
  const select = [selectDims(dims, ACTIVITY_COLUMN), 'b.start::text AS bucket'].filter(Boolean).join(', ');
  const keys = [...dims.map((d) => ACTIVITY_COLUMN[d]), 'b.start'].join(', ');
  return (await em.query(
    `SELECT ${select}, count(DISTINCT a.merchant_id)::int AS merchants
     FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
     JOIN unnest($4::date[], $5::date[], $6::date[]) AS b(start, f, t) ON s.f <= b.t AND s.t >= b.f
     JOIN merchant_activity a ON a.street_id = s.street_id
          AND a.month BETWEEN date_trunc('month', greatest(s.f, b.f))::date AND date_trunc('month', least(s.t, b.t))::date
     CROSS JOIN LATERAL (
       SELECT greatest(s.f, b.f, a.month) AS lo,
              least(s.t, b.t, (a.month + interval '1 month' - interval '1 day')::date) AS hi
     ) r
     WHERE r.lo <= r.hi
       AND a.active_days & ((1::bigint << extract(day FROM r.hi)::int)
                            - (1::bigint << (extract(day FROM r.lo)::int - 1)))::int <> 0
       AND ($7::text IS NULL OR a.category = $7) AND ($8::text IS NULL OR a.bank_bin = $8)
     GROUP BY ${keys}`,
    [
      ...segmentParams(segments),
      buckets.map((b) => b.start),
      buckets.map((b) => b.from),
      buckets.map((b) => b.to),
      filters.category ?? null,
      filters.bank ?? null,
    ],
  )) as { street?: string; category?: string; bank?: string; bucket: string; merchants: number }[];
}

/**
 * Merchants registered (not rejected) and approved (board issued, not closed) by the last day of
 * each segment, per street.
 */
export async function funnelCounts(
  em: EntityManager,
  segments: Segment[],
  category?: string,
): Promise<Map<string, { registered: number; approved: number }>> {
  if (segments.length === 0) return new Map();
  const rows = (await em.query(
    `SELECT m.street_id::text AS street,
            count(*) FILTER (WHERE m.registered_day <= s.t AND (m.rejected_day IS NULL OR m.rejected_day > s.t))::int AS registered,
            count(*) FILTER (WHERE m.approved_day <= s.t AND (m.closed_day IS NULL OR m.closed_day > s.t))::int AS approved
     FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
     JOIN merchant_fact m ON m.street_id = s.street_id
     WHERE ($4::text IS NULL OR m.category = $4)
     GROUP BY 1`,
    [...segmentParams(segments), category ?? null],
  )) as { street: string; registered: number; approved: number }[];
  return new Map(rows.map((r) => [r.street, r]));
}

/** Registrations and first approvals per bucket (and street) inside the segments. */
export async function merchantArrivals(
  em: EntityManager,
  segments: Segment[],
  category: string | undefined,
  granularity: Granularity,
  byStreet = false,
): Promise<{ street?: string; bucket: string; registered: number; approved: number }[]> {
  if (segments.length === 0) return [];
  const bucketOf = (column: string) =>
    granularity === 'day' ? column : `date_trunc('${granularity}', ${column})::date`;
  return (await em.query(
    `WITH arrivals AS (
       SELECT m.street_id, ${bucketOf('m.registered_day')} AS bucket, 1 AS registered, 0 AS approved
       FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
       JOIN merchant_fact m ON m.street_id = s.street_id AND m.registered_day BETWEEN s.f AND s.t
       WHERE $4::text IS NULL OR m.category = $4
       UNION ALL
       SELECT m.street_id, ${bucketOf('m.approved_day')}, 0, 1
       FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
       JOIN merchant_fact m ON m.street_id = s.street_id AND m.approved_day BETWEEN s.f AND s.t
       WHERE $4::text IS NULL OR m.category = $4
     )
     SELECT ${byStreet ? 'street_id::text AS street, ' : ''}bucket::text, sum(registered)::int AS registered,
            sum(approved)::int AS approved
     FROM arrivals GROUP BY ${byStreet ? 'street_id, ' : ''}bucket`,
    [...segmentParams(segments), category ?? null],
  )) as { street?: string; bucket: string; registered: number; approved: number }[];
}

/**
 * Unique shoppers per group (e.g. per bucket, per street): each group is a set of segments whose
 * sketches are merged, reading month and week sketches where a whole one fits.
 */
export async function uniqueShoppers(em: EntityManager, groups: Map<string, Segment[]>): Promise<Map<string, number>> {
  const pieces = new Map<string, ReturnType<typeof sketchPieces>>();
  const wanted = new Set<string>();
  for (const [group, segments] of groups) {
    const list = segments.flatMap((s) => sketchPieces(s));
    pieces.set(group, list);
    for (const p of list) wanted.add(`${p.period}|${p.streetId}|${p.start}`);
  }
  const keys = [...wanted].map((k) => k.split('|'));
  const stored = new Map<string, Buffer>();
  if (keys.length > 0) {
    const rows = (await em.query(
      `SELECT s.period, s.street_id::text, s.start::text, s.sketch
       FROM unnest($1::text[], $2::uuid[], $3::date[]) AS k(period, street_id, start)
       JOIN shopper_sketch s ON s.period = k.period AND s.street_id = k.street_id AND s.start = k.start`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    )) as { period: string; street_id: string; start: string; sketch: Buffer }[];
    for (const r of rows) stored.set(`${r.period}|${r.street_id}|${r.start}`, r.sketch);
  }
  const result = new Map<string, number>();
  for (const [group, list] of pieces) {
    const merged = emptySketch();
    for (const p of list) {
      const sketch = stored.get(`${p.period}|${p.streetId}|${p.start}`);
      if (sketch) mergeInto(merged, sketch);
    }
    result.set(group, estimate(merged));
  }
  return result;
}
