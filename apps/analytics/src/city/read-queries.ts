import type { EntityManager } from 'typeorm';
import { addDays, bucketEnd, bucketStart, bucketsOf, daysBetween, vietnamDay } from '../kpi/calendar';
import type { Bucket, Granularity } from '../kpi/calendar';
import { DAYS_EPOCH_DAY, DAYS_IN_RANGE } from '../projections/projection-store';
import { ALL_STREETS, estimate, emptySketch, mergeInto } from '../projections/shopper-sketch';
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
  /** Street sums and arrivals report the segment under this key (periods compared side by side). */
  key?: string;
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

/** Unfiltered, by street at most: what `street_total` answers. */
const byStreetOnly = (filters: Filters, dims: Dimension[]) =>
  filters.category === undefined && filters.bank === undefined && dims.every((d) => d === 'street');

/** A run of stored `street_total` rows of one street and period: starts in [from, to]. */
export interface TotalRange {
  period: Granularity;
  streetId: string;
  from: string;
  to: string;
  /** The segment's key ('' for none). */
  key: string;
  /** -1: rows subtracted from a whole bucket's (sums only). */
  sign?: -1;
}

/**
 * The `street_total` rows whose sums are a street's days exactly: the whole buckets of
 * `granularity` (whole months when none) as one run; a partial bucket as its days, or, when it
 * covers most of the bucket, as the bucket's row minus the days it leaves out (1–27 June: the
 * month less 28–30 June, four rows instead of 27). Counts and values add, so the difference is
 * exact, and one statement reads both in one snapshot.
 */
export function totalRanges(s: Segment, granularity: Granularity | undefined): TotalRange[] {
  const period = granularity ?? 'month';
  const key = s.key ?? '';
  const buckets = bucketsOf(period, s.from, s.to);
  const whole = buckets.filter((b) => !b.partial);
  const run = (p: Granularity, from: string, to: string, sign?: -1): TotalRange => ({
    period: p,
    streetId: s.streetId,
    from,
    to,
    key,
    ...(sign ? { sign } : {}),
  });
  const partial = (b: Bucket): TotalRange[] => {
    const end = bucketEnd(period, b.start);
    const left = daysBetween(b.start, b.from) + daysBetween(b.to, end);
    if (left + 1 >= daysBetween(b.from, b.to) + 1) return [run('day', b.from, b.to)];
    return [
      run(period, b.start, b.start),
      ...(b.from > b.start ? [run('day', b.start, addDays(b.from, -1), -1)] : []),
      ...(b.to < end ? [run('day', addDays(b.to, 1), end, -1)] : []),
    ];
  };
  return [
    ...(whole.length ? [run(period, whole[0].start, whole[whole.length - 1].start)] : []),
    ...buckets.filter((b) => b.partial).flatMap(partial),
  ];
}

const rangeParams = (ranges: TotalRange[]) => [
  ranges.map((r) => r.period),
  ranges.map((r) => r.streetId),
  ranges.map((r) => r.from),
  ranges.map((r) => r.to),
  ranges.map((r) => r.key),
  ranges.map((r) => r.sign ?? 1),
];

/**
 * SQL: the `street_total` rows (`t`) of the runs in `rangeParams` — LATERAL, so that each run is
 * one index range scan (a hash join read the whole table for a few dozen runs).
 */
const TOTAL_ROWS = `unnest($1::text[], $2::uuid[], $3::date[], $4::date[], $5::text[], $6::int[]) AS r(period, street_id, f, t, key, sign)
     CROSS JOIN LATERAL (SELECT * FROM street_total t
                         WHERE t.period = r.period AND t.street_id = r.street_id AND t.start BETWEEN r.f AND r.t OFFSET 0) t`;

/** SQL: the bucket (`granularity`'s start, '' for none) a `street_total` row belongs to. */
const bucketOfRow = (granularity: Granularity | undefined) =>
  granularity === undefined ? 'r.key' : `date_trunc('${granularity}', t.start)::date::text`;

/** Sums of the `street_total` runs per bucket and street. */
async function sumTotals(
  em: EntityManager,
  ranges: TotalRange[],
  granularity: Granularity | undefined,
): Promise<(PaymentSums & { key: string })[]> {
  if (ranges.length === 0) return [];
  const rows = (await em.query(
    `SELECT ${bucketOfRow(granularity)} AS key, t.street_id::text AS street, sum(r.sign * t.payments_count)::int AS count,
            sum(r.sign * t.payments_value)::text AS value, sum(r.sign * t.late_count)::int AS late,
            sum(r.sign * t.failed_count)::int AS failed
     FROM ${TOTAL_ROWS}
     GROUP BY 1, t.street_id`,
    rangeParams(ranges),
  )) as (Omit<PaymentSums, 'value'> & { key: string; value: string })[];
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Adds up rows that share `keyOf` (e.g. streets into one bucket). */
function addUp<T extends PaymentSums>(rows: T[], keyOf: (r: T) => string): Map<string, T> {
  const sums = new Map<string, T>();
  for (const r of rows) {
    const s = sums.get(keyOf(r)) ?? { ...r, count: 0, value: 0, late: 0, failed: 0 };
    s.count += r.count;
    s.value += r.value;
    s.late += r.late;
    s.failed += r.failed;
    sums.set(keyOf(r), s);
  }
  return sums;
}

/**
 * Payment count, value, late and failed sums over the segments, grouped by `dims` (and bucket).
 * Unfiltered sums by street at most add `street_total` rows (a month or a day per street); the
 * others read whole months from `monthly_payment` (unless the buckets are days or weeks) and the
 * days around them from `daily_payment`.
 */
export async function paymentSums(
  em: EntityManager,
  segments: Segment[],
  filters: Filters,
  dims: Dimension[],
  granularity?: Granularity,
): Promise<PaymentSums[]> {
  if (!byStreetOnly(filters, dims)) {
    if (segments.some((s) => s.key !== undefined)) throw new Error('keyed segments are summed by street only');
    return categoryBankSums(em, segments, filters, dims, granularity);
  }
  const rows = await sumTotals(
    em,
    segments.flatMap((s) => totalRanges(s, granularity)),
    granularity,
  );
  const byStreet = dims.includes('street');
  const sums = addUp(rows, (r) => `${byStreet ? r.street : ''}|${r.key}`);
  return [...sums.values()].map(({ key, street, ...r }) => ({
    ...r,
    ...(byStreet ? { street } : {}),
    ...(granularity === undefined && key === '' ? {} : { bucket: key }),
  })) as PaymentSums[];
}

async function categoryBankSums(
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
       -- LATERAL: an index range scan per street (a hash join would read the whole table).
       SELECT p.day, p.street_id, p.category, p.bank_bin, ${figures}
       FROM unnest($1::uuid[], $2::date[], $3::date[]) AS s(street_id, f, t)
       CROSS JOIN LATERAL (SELECT * FROM daily_payment p
                           WHERE p.street_id = s.street_id AND p.day BETWEEN s.f AND s.t OFFSET 0) p
       UNION ALL
       SELECT m.month, m.street_id, m.category, m.bank_bin, ${figures}
       FROM unnest($6::uuid[], $7::date[]) AS k(street_id, month)
       CROSS JOIN LATERAL (SELECT * FROM monthly_payment m
                           WHERE m.street_id = k.street_id AND m.month = k.month OFFSET 0) m
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

export interface MerchantCount {
  street?: string;
  category?: string;
  bank?: string;
  bucket: string;
  merchants: number;
}

/**
 * Distinct merchants with at least one payment, per bucket and `dims` (exact over any range).
 * Unfiltered counts by street of whole calendar buckets are read from `street_total`; other
 * ranges test each merchant's `merchant_days` bits; many filtered buckets at once use the monthly
 * day masks of `merchant_activity`.
 */
export async function activeMerchants(
  em: EntityManager,
  segments: Segment[],
  filters: Filters,
  dims: Dimension[],
  buckets: KeyedBucket[],
  granularity?: Granularity,
): Promise<MerchantCount[]> {
  if (segments.length === 0 || buckets.length === 0) return [];
  const streetOnly = byStreetOnly(filters, dims);
  if (!streetOnly && buckets.length > 1) return activeByMonthMasks(em, segments, filters, dims, buckets);
  const whole = new Map<string, TotalRange>();
  // The keys a stored calendar bucket answers for (two keyed buckets may be the same month).
  const keysOfStart = new Map<string, string[]>();
  const ranges: (Segment & { key: string })[] = [];
  for (const b of buckets) {
    const key = b.key ?? b.start;
    for (const s of segments) {
      const from = s.from > b.from ? s.from : b.from;
      const to = s.to < b.to ? s.to : b.to;
      if (from > to) continue;
      // A street's whole calendar bucket is a stored count.
      if (streetOnly && granularity && isWholeBucket(granularity, from, to)) {
        if (!keysOfStart.get(from)?.includes(key)) keysOfStart.set(from, [...(keysOfStart.get(from) ?? []), key]);
        whole.set(`${s.streetId}|${from}`, { period: granularity, streetId: s.streetId, from, to: from, key: '' });
        continue;
      }
      ranges.push({ key, streetId: s.streetId, from, to });
    }
  }
  const runs = mergeRuns(
    [...whole.values()].sort((a, b) => a.streetId.localeCompare(b.streetId) || a.from.localeCompare(b.from)),
  );
  const [stored, counted] = await Promise.all([
    storedMerchants(em, runs),
    merchantsIn(em, ranges, filters, streetOnly ? ['street'] : dims),
  ]);
  if (!streetOnly) return counted;
  // Streets hold disjoint merchants (a merchant's days all count under its current street).
  const total = new Map<string, MerchantCount>();
  const storedByKey = stored.flatMap((r) => keysOfStart.get(r.bucket)!.map((key) => ({ ...r, bucket: key })));
  for (const r of [...storedByKey, ...counted]) {
    const key = `${dims.length ? r.street : ''}|${r.bucket}`;
    const entry = total.get(key) ?? { ...(dims.length ? { street: r.street } : {}), bucket: r.bucket, merchants: 0 };
    entry.merchants += r.merchants;
    total.set(key, entry);
  }
  return [...total.values()];
}

/** A bucket of days, reported under `key` (default: its start). */
export type KeyedBucket = Pick<Bucket, 'start' | 'from' | 'to'> & { key?: string };

function isWholeBucket(granularity: Granularity, from: string, to: string): boolean {
  return bucketStart(granularity, from) === from && bucketEnd(granularity, from) === to;
}

/** Consecutive stored buckets of a street as one run (a series asks for all of them). */
function mergeRuns(pieces: TotalRange[]): TotalRange[] {
  const runs: TotalRange[] = [];
  for (const p of pieces) {
    const last = runs[runs.length - 1];
    if (
      last &&
      last.streetId === p.streetId &&
      last.period === p.period &&
      bucketsOf(p.period, last.to, p.from).length === 2
    )
      last.to = p.from;
    else runs.push({ ...p });
  }
  return runs;
}

async function storedMerchants(em: EntityManager, ranges: TotalRange[]): Promise<MerchantCount[]> {
  if (ranges.length === 0) return [];
  return (await em.query(
    `SELECT t.street_id::text AS street, t.start::text AS bucket, t.active_merchants AS merchants
     FROM ${TOTAL_ROWS}`,
    rangeParams(ranges),
  )) as MerchantCount[];
}

const DAYS_COLUMN: Record<Dimension, string> = { street: 'm.street_id', category: 'm.category', bank: 'm.bank_bin' };

/**
 * Distinct merchants paid in each keyed range (a street's days [from, to]; ALL_STREETS: every
 * street's), by `dims`: one bit test per merchant in `merchant_days` (per bank when the bank matters).
 */
export async function merchantsIn(
  em: EntityManager,
  ranges: (Segment & { key: string })[],
  filters: Filters,
  dims: Dimension[],
): Promise<MerchantCount[]> {
  if (ranges.length === 0) return [];
  const city = ranges.filter((r) => r.streetId === ALL_STREETS);
  if (city.length > 0 && city.length < ranges.length) {
    const streets = ranges.filter((r) => r.streetId !== ALL_STREETS);
    return [...(await merchantsIn(em, city, filters, dims)), ...(await merchantsIn(em, streets, filters, dims))];
  }
  const perBank = dims.includes('bank') || filters.bank !== undefined;
  const windows = sharedWindows(ranges);
  if (windows) return merchantsInWindows(em, windows, city.length > 0, perBank, filters, dims);
  // A merchant has one row (per bank) under one street: with one range per key and street, a
  // plain count is already distinct (and needs no sort).
  const unique = new Set(ranges.map((r) => `${r.key}|${r.streetId}`)).size === ranges.length;
  return (await em.query(
    `SELECT ${[selectDims(dims, DAYS_COLUMN), 'r.key AS bucket'].filter(Boolean).join(', ')},
            ${unique ? 'count(*)' : 'count(DISTINCT m.merchant_id)'}::int AS merchants
     FROM unnest($1::text[], $2::uuid[], $3::date[], $4::date[]) AS r(key, street_id, f, t)
     JOIN merchant_days m ON ${city.length ? 'true' : 'm.street_id = r.street_id'}
                          AND ${perBank ? "m.bank_bin <> ''" : "m.bank_bin = ''"}
     WHERE ${DAYS_IN_RANGE('m.days', 'r.f', 'r.t')} > 0
       AND ($5::text IS NULL OR m.category = $5) AND ($6::text IS NULL OR m.bank_bin = $6)
     GROUP BY ${[...dims.map((d) => DAYS_COLUMN[d]), 'r.key'].join(', ')}`,
    [
      ranges.map((r) => r.key),
      ranges.map((r) => r.streetId),
      ranges.map((r) => r.from),
      ranges.map((r) => r.to),
      filters.category ?? null,
      filters.bank ?? null,
    ],
  )) as MerchantCount[];
}

/** A key's days [from, to], shared by its streets (ALL_STREETS: every street). */
interface SharedWindow {
  key: string;
  from: string;
  to: string;
  streetIds: string[];
}

/** More windows than this go through the join (one filtered count per window per row). */
const MAX_SHARED_WINDOWS = 8;

/**
 * The ranges as a few windows, each key with one span of days over its streets (an adoption
 * report's period, last 7 and last 30 days); undefined when they are not.
 */
function sharedWindows(ranges: (Segment & { key: string })[]): SharedWindow[] | undefined {
  const windows = new Map<string, SharedWindow>();
  for (const r of ranges) {
    const window = windows.get(r.key) ?? { key: r.key, from: r.from, to: r.to, streetIds: [] };
    if (window.from !== r.from || window.to !== r.to) return undefined;
    window.streetIds.push(r.streetId);
    windows.set(r.key, window);
    if (windows.size > MAX_SHARED_WINDOWS) return undefined;
  }
  // A street twice under one key would be counted twice (the join counts distinct merchants).
  const unique = [...windows.values()].every((w) => new Set(w.streetIds).size === w.streetIds.length);
  return unique ? [...windows.values()] : undefined;
}

/**
 * Distinct merchants paid in each window in one pass over `merchant_days`: every row is read
 * once and tested against each window by bit offset, instead of joined to every range of its street.
 */
async function merchantsInWindows(
  em: EntityManager,
  windows: SharedWindow[],
  city: boolean,
  perBank: boolean,
  filters: Filters,
  dims: Dimension[],
): Promise<MerchantCount[]> {
  const params: unknown[] = [filters.category ?? null, filters.bank ?? null, windows.map((w) => w.key)];
  const param = (value: unknown) => `$${params.push(value)}`;
  const everyStreet = new Set(windows.flatMap((w) => w.streetIds));
  const counts = windows.map((w) => {
    // A window over every street of the report needs no street test of its own.
    const streets =
      city || w.streetIds.length === everyStreet.size ? 'true' : `m.street_id = ANY(${param(w.streetIds)}::uuid[])`;
    const offset = daysBetween(DAYS_EPOCH_DAY, w.from) + 1;
    const length = daysBetween(w.from, w.to) + 1;
    return `count(*) FILTER (WHERE ${streets} AND bit_count(substring(m.days FROM ${param(offset)}::int FOR ${param(length)}::int)) > 0)`;
  });
  const allStreets = city ? 'true' : `m.street_id = ANY(${param([...everyStreet])}::uuid[])`;
  const columns = dims.map((d) => DAYS_COLUMN[d]);
  return (await em.query(
    `SELECT ${[...dims.map((d) => `g.${d}`), 'w.key AS bucket', 'w.merchants'].join(', ')}
     FROM (SELECT ${[selectDims(dims, DAYS_COLUMN), `ARRAY[${counts.join(', ')}]::int[] AS counts`].filter(Boolean).join(', ')}
           FROM merchant_days m
           WHERE ${perBank ? "m.bank_bin <> ''" : "m.bank_bin = ''"} AND ${allStreets}
             AND ($1::text IS NULL OR m.category = $1) AND ($2::text IS NULL OR m.bank_bin = $2)
           ${columns.length ? `GROUP BY ${columns.join(', ')}` : ''}) g
     CROSS JOIN LATERAL unnest($3::text[], g.counts) AS w(key, merchants)
     WHERE w.merchants > 0`,
    params,
  )) as MerchantCount[];
}

/** Distinct merchants per bucket from the monthly day masks (filtered series). */
async function activeByMonthMasks(
  em: EntityManager,
  segments: Segment[],
  filters: Filters,
  dims: Dimension[],
  buckets: Pick<Bucket, 'start' | 'from' | 'to'>[],
): Promise<MerchantCount[]> {
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
  )) as MerchantCount[];
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
): Promise<{ street?: string; key: string; bucket: string; registered: number; approved: number }[]> {
  if (segments.length === 0) return [];
  const bucketOf = (column: string) =>
    granularity === 'day' ? column : `date_trunc('${granularity}', ${column})::date`;
  const segmentsWithKeys = `unnest($1::uuid[], $2::date[], $3::date[], $5::text[]) AS s(street_id, f, t, key)`;
  return (await em.query(
    `WITH arrivals AS (
       SELECT s.key, m.street_id, ${bucketOf('m.registered_day')} AS bucket, 1 AS registered, 0 AS approved
       FROM ${segmentsWithKeys}
       JOIN merchant_fact m ON m.street_id = s.street_id AND m.registered_day BETWEEN s.f AND s.t
       WHERE $4::text IS NULL OR m.category = $4
       UNION ALL
       SELECT s.key, m.street_id, ${bucketOf('m.approved_day')}, 0, 1
       FROM ${segmentsWithKeys}
       JOIN merchant_fact m ON m.street_id = s.street_id AND m.approved_day BETWEEN s.f AND s.t
       WHERE $4::text IS NULL OR m.category = $4
     )
     SELECT key, ${byStreet ? 'street_id::text AS street, ' : ''}bucket::text, sum(registered)::int AS registered,
            sum(approved)::int AS approved
     FROM arrivals GROUP BY key, ${byStreet ? 'street_id, ' : ''}bucket`,
    [...segmentParams(segments), category ?? null, segments.map((s) => s.key ?? '')],
  )) as { street?: string; key: string; bucket: string; registered: number; approved: number }[];
}

const SKETCH_CACHE_ENTRIES = 20_000;

/**
 * Sketches of periods that have ended, kept for `ttlMs`: they change only when a payment arrives
 * days late (or a merchant moves), and a dashboard asks for the same months again and again. A
 * figure can lag such a late change by at most `ttlMs` (0: no cache).
 */
export class ClosedSketchCache {
  private readonly entries = new Map<string, { shoppers: number | null; sketch: Uint8Array | null; until: number }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string, needSketch: boolean) {
    const entry = this.entries.get(key);
    if (!entry || entry.until < Date.now() || (needSketch && !entry.sketch)) return undefined;
    return entry;
  }

  /** When an entry kept now would expire (0: nothing is kept). */
  expiry(): number {
    return this.ttlMs === 0 ? 0 : Date.now() + this.ttlMs;
  }

  /**
   * Keeps an entry for the cache's time, or until `until` when it is derived from other entries
   * (a union of cached sketches must not outlive the oldest of them). Returns when it expires.
   */
  set(key: string, value: { shoppers: number | null; sketch: Uint8Array | null }, until?: number): number {
    if (this.ttlMs === 0) return 0;
    if (this.entries.size >= SKETCH_CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const entry = { shoppers: value.shoppers, sketch: value.sketch, until: until ?? Date.now() + this.ttlMs };
    this.entries.set(key, entry);
    return entry.until;
  }
}

/**
 * Unique shoppers per group (e.g. per bucket, per street): each group is a set of segments whose
 * sketches are merged, reading month and week sketches where a whole one fits. A group that is a
 * single stored sketch reads only its stored estimate. Segments of street ALL_STREETS read the
 * whole city's sketches. A segment shared by groups (a street, and its ward) is merged once.
 */
export async function uniqueShoppers(
  em: EntityManager,
  groups: Map<string, Segment[]>,
  closedSketches = new ClosedSketchCache(0),
): Promise<Map<string, number>> {
  const keyOf = (p: { period: string; streetId: string; start: string }) => `${p.period}|${p.streetId}|${p.start}`;
  const segmentKey = (s: Segment) => `${s.streetId}|${s.from}|${s.to}`;
  const result = new Map<string, number>();
  // A count over ended periods only is kept as long as the sketches it came from.
  const countKey = (segments: Segment[]) => `count|${segments.map(segmentKey).join(',')}`;
  const open = new Map<string, Segment[]>();
  for (const [group, segments] of groups) {
    const kept = closedSketches.get(countKey(segments), false)?.shoppers;
    if (kept !== undefined && kept !== null) result.set(group, kept);
    else open.set(group, segments);
  }
  if (open.size === 0) return result;
  const piecesOf = new Map<string, string[]>();
  // Streets of one report share their days: plan the pieces of each span of days once.
  const spans = new Map<string, ReturnType<typeof sketchPieces>>();
  for (const segments of open.values())
    for (const s of segments) {
      if (piecesOf.has(segmentKey(s))) continue;
      const span = `${s.from}|${s.to}`;
      let pieces = spans.get(span);
      if (!pieces) spans.set(span, (pieces = sketchPieces({ streetId: '', from: s.from, to: s.to })));
      piecesOf.set(
        segmentKey(s),
        pieces.map((p) => keyOf({ ...p, streetId: s.streetId })),
      );
    }
  // The union of a segment's pieces: kept ones first (never modified once built).
  const unions = new Map<string, { sketch: Uint8Array; until: number }>();
  for (const segment of piecesOf.keys()) {
    const kept = closedSketches.get(`union|${segment}`, true);
    if (kept) unions.set(segment, { sketch: kept.sketch!, until: kept.until });
  }
  // A piece's sketch is needed when some group is more than that one piece, and its segment's
  // union is not kept; a group of one piece reads only its stored estimate.
  const wanted = new Map<string, boolean>();
  for (const segments of open.values()) {
    const lists = segments.map((s) => piecesOf.get(segmentKey(s))!);
    const merge = lists.length > 1 || lists[0]?.length > 1;
    segments.forEach((s, i) => {
      if (merge && unions.has(segmentKey(s))) return;
      for (const key of lists[i]) wanted.set(key, (wanted.get(key) ?? false) || merge);
    });
  }
  const stored = new Map<string, { shoppers: number | null; sketch: Uint8Array | null }>();
  // When each piece of an ended period stops being served from the cache.
  const closedUntil = new Map<string, number>();
  for (const [key, merge] of wanted) {
    const cached = closedSketches.get(key, merge);
    if (cached) {
      stored.set(key, cached);
      closedUntil.set(key, cached.until);
      wanted.delete(key);
    }
  }
  const keys = [...wanted.keys()].map((k) => k.split('|'));
  if (keys.length > 0) {
    const rows = (await em.query(
      `SELECT s.period, s.street_id::text, s.start::text, s.shoppers,
              CASE WHEN k.merge OR s.shoppers IS NULL THEN s.sketch END AS sketch
       FROM unnest($1::text[], $2::uuid[], $3::date[], $4::boolean[]) AS k(period, street_id, start, merge)
       JOIN shopper_sketch s ON s.period = k.period AND s.street_id = k.street_id AND s.start = k.start`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), [...wanted.values()]],
    )) as { period: string; street_id: string; start: string; shoppers: number | null; sketch: Buffer | null }[];
    const today = vietnamDay(new Date());
    for (const r of rows) {
      const key = keyOf({ period: r.period, streetId: r.street_id, start: r.start });
      stored.set(key, r);
      if (bucketEnd(r.period as Granularity, r.start) < today) closedUntil.set(key, closedSketches.set(key, r));
    }
    // An ended period with no sketch had no shoppers: a union may rely on that as long as on the rest.
    for (const [period, streetId, start] of keys) {
      const key = keyOf({ period, streetId, start });
      if (!closedUntil.has(key) && bucketEnd(period as Granularity, start) < today)
        closedUntil.set(key, closedSketches.expiry());
    }
  }
  // Built once however many groups share the segment, and kept with its pieces when they all
  // belong to ended periods.
  const unionOf = (segment: string) => {
    let union = unions.get(segment);
    if (union) return union;
    const sketch = emptySketch();
    const pieces = piecesOf.get(segment)!;
    for (const key of pieces) {
      const piece = stored.get(key)?.sketch;
      if (piece) mergeInto(sketch, piece);
    }
    const until = pieces.length > 0 ? Math.min(...pieces.map((key) => closedUntil.get(key) ?? 0)) : 0;
    union = {
      sketch,
      until: until > Date.now() ? closedSketches.set(`union|${segment}`, { shoppers: null, sketch }, until) : 0,
    };
    unions.set(segment, union);
    return union;
  };
  for (const [group, segments] of open) {
    const lists = segments.map((s) => piecesOf.get(segmentKey(s))!);
    const only = lists.length === 1 && lists[0].length === 1 ? stored.get(lists[0][0]) : undefined;
    if (only?.shoppers !== undefined && only.shoppers !== null) {
      result.set(group, only.shoppers);
      continue;
    }
    const parts = segments.map((s) => unionOf(segmentKey(s)));
    let sketch = parts[0]?.sketch ?? emptySketch();
    if (parts.length > 1) {
      sketch = emptySketch();
      for (const part of parts) mergeInto(sketch, part.sketch);
    }
    const shoppers = estimate(sketch);
    const until = parts.length > 0 ? Math.min(...parts.map((part) => part.until)) : 0;
    if (until > Date.now()) closedSketches.set(countKey(segments), { shoppers, sketch: null }, until);
    result.set(group, shoppers);
  }
  return result;
}
