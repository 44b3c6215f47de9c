import type { EntityManager } from 'typeorm';
import { queryText } from '@cashless/database';
import { addDays, monthEnd, monthStart, weekStart } from '../kpi/calendar';
import type { Granularity } from '../kpi/calendar';
import { FAILED_OUTCOMES } from './facts';
import type { MerchantFact, PaymentFact } from './facts';
import { ALL_STREETS, addSlot, emptySketch, estimate, mergeByKey, mergeInto } from './shopper-sketch';

/** A payment stored for the first time, with its merchant's street and category. */
type NewPayment = PaymentFact & { streetId: string; category: string };

export interface ProjectionOptions {
  /** A payment whose notification reached the platform more than this after the transfer counts as late. */
  lateSeconds: number;
}

/** What a batch of facts touched: the derived rows to recompute. */
export class AffectedKeys {
  /** `streetId|day`: daily_payment rows and the day's shopper sketch. */
  readonly slices = new Set<string>();
  /** `month|merchantId`: merchant_activity rows. */
  readonly merchantMonths = new Set<string>();

  addPaymentDay(streetId: string | null, day: string, merchantId: string): void {
    if (streetId !== null) this.slices.add(`${streetId}|${day}`);
    this.merchantMonths.add(`${monthStart(day)}|${merchantId}`);
  }

  get empty(): boolean {
    return this.slices.size === 0 && this.merchantMonths.size === 0;
  }
}

const split = (keys: Iterable<string>): [string[], string[]] => {
  const a: string[] = [];
  const b: string[] = [];
  for (const key of keys) {
    const [x, y] = key.split('|');
    a.push(x);
    b.push(y);
  }
  return [a, b];
};

/**
 * Writes facts and keeps the derived tables equal to a function of the facts, so applying the
 * same facts in any order, in any batches, or all at once in a rebuild gives identical tables:
 *
 * - Payments stored for the first time (the insert's RETURNING: a redelivery adds nothing) are
 *   added to the derived rows with operations that commute: sums, OR of day bits, register-wise
 *   maximum of sketches. Additions in any order give the same rows as recomputing.
 * - When a merchant's street or category changes (or it arrives after its payments), the rows of
 *   the days its payments touch are recomputed from `payment_fact`, before this batch's new
 *   payments are added. A rebuild recomputes every key the same way.
 *
 * Concurrency (several partitions at once, several instances): facts of one merchant are written
 * under that merchant's advisory lock, and derived keys are changed under their own locks, taken
 * after the facts are written, so a recomputation never misses a committed fact and never counts
 * an addition twice.
 */
export class ProjectionStore {
  constructor(private readonly options: ProjectionOptions) {}

  /** Applies one batch of facts (in the caller's transaction). */
  async apply(em: EntityManager, merchants: MerchantFact[], payments: PaymentFact[]): Promise<void> {
    const merchantIds = new Set([...merchants.map((m) => m.merchantId), ...payments.map((p) => p.merchantId)]);
    if (merchantIds.size === 0) return;
    await lockKeys(
      em,
      [...merchantIds].map((id) => `merchant:${id}`),
    );
    if (merchants.length > 0) {
      const moved = new AffectedKeys();
      await this.upsertMerchants(em, mergeMerchantFacts(merchants), moved);
      await this.refresh(em, moved, true);
    }
    if (payments.length > 0) await this.addPayments(em, await this.insertPayments(em, payments));
  }

  private async upsertMerchants(em: EntityManager, facts: MerchantFact[], affected: AffectedKeys): Promise<void> {
    await em.query(
      `INSERT INTO merchant_fact (merchant_id, street_id, ward_id, category, status, registered_day,
                                  approved_day, rejected_day, closed_day, version_at, version_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::date[],
                            $7::date[], $8::date[], $9::date[], $10::timestamptz[], $11::uuid[])
       ON CONFLICT (merchant_id) DO UPDATE SET
         street_id = CASE WHEN newer THEN EXCLUDED.street_id ELSE merchant_fact.street_id END,
         ward_id = CASE WHEN newer THEN EXCLUDED.ward_id ELSE merchant_fact.ward_id END,
         category = CASE WHEN newer THEN EXCLUDED.category ELSE merchant_fact.category END,
         status = CASE WHEN newer THEN EXCLUDED.status ELSE merchant_fact.status END,
         registered_day = LEAST(merchant_fact.registered_day, EXCLUDED.registered_day),
         approved_day = LEAST(merchant_fact.approved_day, EXCLUDED.approved_day),
         rejected_day = LEAST(merchant_fact.rejected_day, EXCLUDED.rejected_day),
         closed_day = LEAST(merchant_fact.closed_day, EXCLUDED.closed_day),
         version_at = CASE WHEN newer THEN EXCLUDED.version_at ELSE merchant_fact.version_at END,
         version_id = CASE WHEN newer THEN EXCLUDED.version_id ELSE merchant_fact.version_id END`.replaceAll(
        'newer',
        '(EXCLUDED.version_at, EXCLUDED.version_id) > (merchant_fact.version_at, merchant_fact.version_id)',
      ),
      [
        facts.map((f) => f.merchantId),
        facts.map((f) => f.streetId),
        facts.map((f) => f.wardId),
        facts.map((f) => f.category),
        facts.map((f) => f.status),
        facts.map((f) => f.registeredDay),
        facts.map((f) => f.approvedDay),
        facts.map((f) => f.rejectedDay),
        facts.map((f) => f.closedDay),
        facts.map((f) => f.versionAt),
        facts.map((f) => f.versionId),
      ],
    );
    // Payments that arrived before their merchant, or whose merchant changed street or category.
    const moved = (await em.query(
      `WITH changed AS (
         SELECT p.payment_id, p.street_id AS old_street, m.street_id AS new_street, m.category AS new_category
         FROM payment_fact p JOIN merchant_fact m USING (merchant_id)
         WHERE p.merchant_id = ANY($1::uuid[])
           AND (p.street_id, p.category) IS DISTINCT FROM (m.street_id, m.category)
       ), updated AS (
         UPDATE payment_fact p SET street_id = c.new_street, category = c.new_category
         FROM changed c WHERE p.payment_id = c.payment_id
         RETURNING c.old_street, c.new_street, p.day, p.merchant_id
       )
       SELECT DISTINCT old_street::text, new_street::text, day::text, merchant_id::text FROM updated`,
      [facts.map((f) => f.merchantId)],
    )) as { old_street: string | null; new_street: string; day: string; merchant_id: string }[];
    for (const row of moved) {
      affected.addPaymentDay(row.old_street, row.day, row.merchant_id);
      affected.addPaymentDay(row.new_street, row.day, row.merchant_id);
    }
  }

  /**
   * Stores payment facts without deriving anything: for bulk loads that rebuild afterwards (the
   * merchants must be stored first, or their payments wait untagged like early arrivals).
   */
  async loadPayments(em: EntityManager, facts: PaymentFact[]): Promise<void> {
    await this.insertPayments(em, facts);
  }

  /** Inserts the facts; returns those stored for the first time whose merchant (street) is known. */
  private async insertPayments(em: EntityManager, facts: PaymentFact[]): Promise<NewPayment[]> {
    const inserted = (await queryText(
      em,
      `INSERT INTO payment_fact (payment_id, merchant_id, day, amount, bank_bin, channel, outcome, delay_seconds,
                                 shopper_register, shopper_rank, street_id, category)
       SELECT i.*, m.street_id, m.category
       FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::int[],
                   $9::smallint[], $10::smallint[])
            AS i(payment_id, merchant_id, day, amount, bank_bin, channel, outcome, delay_seconds,
                 shopper_register, shopper_rank)
       LEFT JOIN merchant_fact m USING (merchant_id)
       ON CONFLICT (payment_id) DO NOTHING
       RETURNING payment_id::text, street_id::text, category, day::text, merchant_id::text`,
      [
        facts.map((f) => f.paymentId),
        facts.map((f) => f.merchantId),
        facts.map((f) => f.day),
        facts.map((f) => f.amount),
        facts.map((f) => f.bankBin),
        facts.map((f) => f.channel),
        facts.map((f) => f.outcome),
        facts.map((f) => f.delaySeconds),
        facts.map((f) => f.shopperRegister),
        facts.map((f) => f.shopperRank),
      ],
    )) as { payment_id: string; street_id: string | null; category: string | null }[];
    const byId = new Map(facts.map((f) => [f.paymentId, f]));
    return inserted
      .filter((r) => r.street_id !== null)
      .map((r) => ({ ...byId.get(r.payment_id)!, streetId: r.street_id!, category: r.category! }));
  }

  /** Adds newly stored payments to the derived rows (sums, day bits, sketch maxima). */
  private async addPayments(em: EntityManager, payments: NewPayment[]): Promise<void> {
    if (payments.length === 0) return;
    const slices = withCitySlices(new Set(payments.map((p) => `${p.streetId}|${p.day}`)));
    await lockKeys(
      em,
      [...slices, ...rollupsOf(slices)].map((k) => `derived:${k}`),
    );
    // Each payment also counts in the whole city's rows (street ALL_STREETS).
    const rows = [...payments, ...payments.map((p) => ({ ...p, streetId: ALL_STREETS }))];
    const figures = [
      rows.map((p) => p.day),
      rows.map((p) => p.streetId),
      rows.map((p) => p.category),
      rows.map((p) => p.bankBin),
      rows.map((p) => p.amount),
      rows.map((p) => p.delaySeconds),
      rows.map((p) => p.outcome),
      this.options.lateSeconds,
      FAILED_OUTCOMES,
    ];
    for (const [table, period, bucket] of [
      ['daily_payment', 'day', 'day'],
      ['monthly_payment', 'month', "date_trunc('month', day)::date"],
    ] as const) {
      await queryText(
        em,
        `INSERT INTO ${table} AS d (${period}, street_id, category, bank_bin, payments_count, payments_value, late_count, failed_count)
         SELECT ${bucket}, street_id, category, bank_bin, count(*), sum(amount),
                count(*) FILTER (WHERE delay_seconds > $8), count(*) FILTER (WHERE outcome = ANY($9::text[]))
         FROM unnest($1::date[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::text[])
              AS p(day, street_id, category, bank_bin, amount, delay_seconds, outcome)
         GROUP BY 1, street_id, category, bank_bin
         ON CONFLICT (${period}, street_id, category, bank_bin) DO UPDATE SET
           payments_count = d.payments_count + EXCLUDED.payments_count,
           payments_value = d.payments_value + EXCLUDED.payments_value,
           late_count = d.late_count + EXCLUDED.late_count,
           failed_count = d.failed_count + EXCLUDED.failed_count`,
        figures,
      );
    }
    await queryText(
      em,
      `INSERT INTO merchant_activity AS a (month, merchant_id, bank_bin, street_id, category, active_days)
       SELECT date_trunc('month', day)::date, merchant_id, bank_bin, street_id, category,
              bit_or(1 << (extract(day FROM day)::int - 1))
       FROM unnest($1::date[], $2::uuid[], $3::text[], $4::uuid[], $5::text[])
            AS p(day, merchant_id, bank_bin, street_id, category)
       GROUP BY 1, merchant_id, bank_bin, street_id, category
       ON CONFLICT (month, merchant_id, bank_bin) DO UPDATE SET active_days = a.active_days | EXCLUDED.active_days`,
      [
        payments.map((p) => p.day),
        payments.map((p) => p.merchantId),
        payments.map((p) => p.bankBin),
        payments.map((p) => p.streetId),
        payments.map((p) => p.category),
      ],
    );
    await this.addToStreetTotals(em, payments);
    await this.addToSketches(em, payments);
  }

  /**
   * Adds new payments to `street_total` and sets their days in `merchant_days`. Sums are added;
   * a bucket's distinct merchants grow by the merchants with no paid day in it before this batch
   * (read under the merchants' locks, before their bits are set), so the counts equal a recount.
   */
  private async addToStreetTotals(em: EntityManager, payments: NewPayment[]): Promise<void> {
    const totals = new Map<string, StreetTotal>();
    const buckets = new Map<string, { bucket: BucketKey; merchantId: string }>();
    for (const p of payments) {
      for (const bucket of [...bucketKeysOf(p.streetId, p.day), ...bucketKeysOf(ALL_STREETS, p.day)]) {
        const key = `${bucket.period}|${bucket.streetId}|${bucket.start}`;
        const total = totals.get(key) ?? { ...bucket, count: 0, value: 0, late: 0, failed: 0, merchants: 0 };
        total.count += 1;
        total.value += p.amount;
        if (p.delaySeconds > this.options.lateSeconds) total.late += 1;
        if (FAILED_OUTCOMES.includes(p.outcome)) total.failed += 1;
        totals.set(key, total);
        buckets.set(`${key}|${p.merchantId}`, { bucket, merchantId: p.merchantId });
      }
    }
    const keys = [...buckets.values()];
    const arrivals = (await queryText(
      em,
      `SELECT k.period, k.street_id::text, k.start::text, count(*)::int AS merchants
       FROM unnest($1::text[], $2::uuid[], $3::date[], $4::date[], $5::uuid[]) AS k(period, street_id, start, finish, merchant_id)
       LEFT JOIN merchant_days m ON m.merchant_id = k.merchant_id AND m.bank_bin = ''
       WHERE m.days IS NULL OR ${DAYS_IN_RANGE('m.days', 'k.start', 'k.finish')} = 0
       GROUP BY 1, 2, 3`,
      [
        keys.map((k) => k.bucket.period),
        keys.map((k) => k.bucket.streetId),
        keys.map((k) => k.bucket.start),
        keys.map((k) => k.bucket.finish),
        keys.map((k) => k.merchantId),
      ],
    )) as { period: string; street_id: string; start: string; merchants: number }[];
    for (const a of arrivals) totals.get(`${a.period}|${a.street_id}|${a.start}`)!.merchants = a.merchants;
    await queryText(
      em,
      `INSERT INTO merchant_days AS m (merchant_id, bank_bin, street_id, category, days)
       SELECT p.merchant_id, b.bank_bin, p.street_id, p.category, ${DAY_BITS('p.day')}
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::date[]) AS p(merchant_id, bank_bin, street_id, category, day)
       CROSS JOIN LATERAL (VALUES (p.bank_bin), ('')) AS b(bank_bin)
       GROUP BY p.merchant_id, b.bank_bin, p.street_id, p.category
       ON CONFLICT (merchant_id, bank_bin) DO UPDATE SET days = m.days | EXCLUDED.days`,
      [
        payments.map((p) => p.merchantId),
        payments.map((p) => p.bankBin),
        payments.map((p) => p.streetId),
        payments.map((p) => p.category),
        payments.map((p) => p.day),
      ],
    );
    const rows = [...totals.values()];
    await queryText(
      em,
      `INSERT INTO street_total AS t (period, street_id, start, payments_count, payments_value, late_count, failed_count, active_merchants)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::date[], $4::int[], $5::bigint[], $6::int[], $7::int[], $8::int[])
       ON CONFLICT (period, street_id, start) DO UPDATE SET
         payments_count = t.payments_count + EXCLUDED.payments_count,
         payments_value = t.payments_value + EXCLUDED.payments_value,
         late_count = t.late_count + EXCLUDED.late_count,
         failed_count = t.failed_count + EXCLUDED.failed_count,
         active_merchants = t.active_merchants + EXCLUDED.active_merchants`,
      [
        rows.map((r) => r.period),
        rows.map((r) => r.streetId),
        rows.map((r) => r.start),
        rows.map((r) => r.count),
        rows.map((r) => r.value),
        rows.map((r) => r.late),
        rows.map((r) => r.failed),
        rows.map((r) => r.merchants),
      ],
    );
  }

  /** Puts new shoppers' slots into the day, week and month sketches of their streets. */
  private async addToSketches(em: EntityManager, payments: NewPayment[]): Promise<void> {
    const slots = new Map<
      string,
      { period: 'day' | 'week' | 'month'; streetId: string; start: string; slots: PaymentFact[] }
    >();
    for (const p of payments) {
      if (p.shopperRegister === null || p.shopperRank === null) continue;
      for (const streetId of [p.streetId, ALL_STREETS]) {
        for (const [period, start] of [
          ['day', p.day],
          ['week', weekStart(p.day)],
          ['month', monthStart(p.day)],
        ] as const) {
          const key = `${period}|${streetId}|${start}`;
          const entry = slots.get(key) ?? { period, streetId, start, slots: [] };
          entry.slots.push(p);
          slots.set(key, entry);
        }
      }
    }
    if (slots.size === 0) return;
    const keys = [...slots.values()];
    const stored = (await queryText(
      em,
      `SELECT s.period, s.street_id::text, s.start::text, s.sketch
       FROM unnest($1::text[], $2::uuid[], $3::date[]) AS k(period, street_id, start)
       JOIN shopper_sketch s ON s.period = k.period AND s.street_id = k.street_id AND s.start = k.start`,
      [keys.map((k) => k.period), keys.map((k) => k.streetId), keys.map((k) => k.start)],
    )) as { period: string; street_id: string; start: string; sketch: Buffer }[];
    const current = new Map(stored.map((r) => [`${r.period}|${r.street_id}|${r.start}`, r.sketch]));
    // Only sketches a new slot raised are written (most week and month sketches already hold them).
    const changed: { key: (typeof keys)[number]; sketch: Uint8Array }[] = [];
    for (const k of keys) {
      const sketch = emptySketch();
      const existing = current.get(`${k.period}|${k.streetId}|${k.start}`);
      if (existing) mergeInto(sketch, existing);
      let raised = !existing;
      for (const p of k.slots) {
        if (sketch[p.shopperRegister!] >= p.shopperRank!) continue;
        addSlot(sketch, { register: p.shopperRegister!, rank: p.shopperRank! });
        raised = true;
      }
      if (raised) changed.push({ key: k, sketch });
    }
    if (changed.length === 0) return;
    await queryText(
      em,
      `INSERT INTO shopper_sketch (period, street_id, start, sketch, shoppers)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::date[], $4::bytea[], $5::int[])
       ON CONFLICT (period, street_id, start) DO UPDATE SET sketch = EXCLUDED.sketch, shoppers = EXCLUDED.shoppers`,
      [
        changed.map((c) => c.key.period),
        changed.map((c) => c.key.streetId),
        changed.map((c) => c.key.start),
        changed.map((c) => Buffer.from(c.sketch)),
        changed.map((c) => estimate(c.sketch)),
      ],
    );
  }

  /**
   * Recomputes the derived rows of `affected` from the facts. `lock` is false only in a rebuild,
   * which holds the derived tables exclusively.
   */
  async refresh(em: EntityManager, affected: AffectedKeys, lock: boolean, aggregates = true): Promise<void> {
    if (affected.empty) return;
    const slices = aggregates ? withCitySlices(affected.slices) : affected.slices;
    const rollups = rollupsOf(slices);
    if (lock)
      await lockKeys(
        em,
        [...slices, ...rollups].map((k) => `derived:${k}`),
      );
    await this.refreshDaily(em, slices);
    await this.refreshActivity(em, affected.merchantMonths);
    await this.refreshMerchantDays(em, new Set([...affected.merchantMonths].map((k) => k.split('|')[1])));
    if (aggregates) await this.refreshStreetTotals(em, slices);
    await this.refreshDaySketches(em, slices);
    await this.refreshRollupSketches(em, rollups);
  }

  /**
   * Recomputes the rows that aggregate other derived rows over every merchant of a street or of
   * the city (street totals, whole-city sketches) for the days of `slices`: a rebuild's last step,
   * once every street's rows are in.
   */
  async refreshAggregates(em: EntityManager, slices: Set<string>): Promise<void> {
    const city = new Set([...slices].map((k) => `${ALL_STREETS}|${k.split('|')[1]}`));
    await this.refreshDaily(em, city);
    await this.refreshStreetTotals(em, new Set([...slices, ...city]));
    await this.refreshDaySketches(em, city);
    await this.refreshRollupSketches(em, rollupsOf(city));
  }

  /** Recomputes the merchants' `merchant_days` rows from their payments. */
  private async refreshMerchantDays(em: EntityManager, merchantIds: Set<string>): Promise<void> {
    if (merchantIds.size === 0) return;
    await em.query('DELETE FROM merchant_days WHERE merchant_id = ANY($1::uuid[])', [[...merchantIds]]);
    await em.query(
      `INSERT INTO merchant_days (merchant_id, bank_bin, street_id, category, days)
       SELECT merchant_id, coalesce(bank_bin, ''), street_id, category, ${DAY_BITS('day')}
       FROM (SELECT DISTINCT merchant_id, bank_bin, street_id, category, day FROM payment_fact
             WHERE merchant_id = ANY($1::uuid[]) AND street_id IS NOT NULL) p
       GROUP BY GROUPING SETS ((merchant_id, bank_bin, street_id, category), (merchant_id, street_id, category))`,
      [[...merchantIds]],
    );
  }

  /**
   * Recomputes the `street_total` rows of the day, week and month of each `street|day` slice from
   * `daily_payment` and `merchant_days` (which must be current for every merchant of the street).
   */
  async refreshStreetTotals(em: EntityManager, slices: Set<string>): Promise<void> {
    if (slices.size === 0) return;
    const buckets = new Map<string, BucketKey>();
    for (const slice of slices) {
      const [streetId, day] = slice.split('|');
      for (const b of bucketKeysOf(streetId, day)) buckets.set(`${b.period}|${b.streetId}|${b.start}`, b);
    }
    const keys = [...buckets.values()];
    const params = [
      keys.map((k) => k.period),
      keys.map((k) => k.streetId),
      keys.map((k) => k.start),
      keys.map((k) => k.finish),
    ];
    await em.query(
      `DELETE FROM street_total t USING unnest($1::text[], $2::uuid[], $3::date[]) AS k(period, street_id, start)
       WHERE t.period = k.period AND t.street_id = k.street_id AND t.start = k.start`,
      params.slice(0, 3),
    );
    await em.query(
      `INSERT INTO street_total (period, street_id, start, payments_count, payments_value, late_count, failed_count, active_merchants)
       SELECT k.period, k.street_id, k.start, sum(d.payments_count), sum(d.payments_value), sum(d.late_count),
              sum(d.failed_count),
              ${COUNT_ACTIVE('k.street_id', 'k.start', 'k.finish', '$5')}
       FROM unnest($1::text[], $2::uuid[], $3::date[], $4::date[]) AS k(period, street_id, start, finish)
       JOIN daily_payment d ON d.street_id = k.street_id AND d.day BETWEEN k.start AND k.finish
       GROUP BY k.period, k.street_id, k.start, k.finish`,
      [...params, ALL_STREETS],
    );
  }

  private async refreshDaily(em: EntityManager, slices: Set<string>): Promise<void> {
    if (slices.size === 0) return;
    const [streets, days] = split(slices);
    await em.query(
      `DELETE FROM daily_payment d USING unnest($1::uuid[], $2::date[]) AS s(street_id, day)
       WHERE d.street_id = s.street_id AND d.day = s.day`,
      [streets, days],
    );
    await em.query(
      `INSERT INTO daily_payment (day, street_id, category, bank_bin, payments_count, payments_value, late_count, failed_count)
       SELECT p.day, p.street_id, p.category, p.bank_bin, count(*), sum(p.amount),
              count(*) FILTER (WHERE p.delay_seconds > $3),
              count(*) FILTER (WHERE p.outcome = ANY($4::text[]))
       FROM unnest($1::uuid[], $2::date[]) AS s(street_id, day)
       JOIN payment_fact p ON p.street_id = s.street_id AND p.day = s.day
       GROUP BY p.day, p.street_id, p.category, p.bank_bin`,
      [streets, days, this.options.lateSeconds, FAILED_OUTCOMES],
    );
    // The whole city's days: the sum of its streets' rows, once those are current.
    const cityDays = days.filter((_, i) => streets[i] === ALL_STREETS);
    if (cityDays.length > 0) {
      await em.query(
        `INSERT INTO daily_payment (day, street_id, category, bank_bin, payments_count, payments_value, late_count, failed_count)
         SELECT day, $2, category, bank_bin, sum(payments_count), sum(payments_value), sum(late_count), sum(failed_count)
         FROM daily_payment WHERE day = ANY($1::date[]) AND street_id <> $2
         GROUP BY day, category, bank_bin`,
        [cityDays, ALL_STREETS],
      );
    }
    const months = new Set([...slices].map((k) => `${k.split('|')[0]}|${monthStart(k.split('|')[1])}`));
    const [monthStreets, monthStarts] = split(months);
    await em.query(
      `DELETE FROM monthly_payment m USING unnest($1::uuid[], $2::date[]) AS k(street_id, month)
       WHERE m.street_id = k.street_id AND m.month = k.month`,
      [monthStreets, monthStarts],
    );
    await em.query(
      `INSERT INTO monthly_payment (month, street_id, category, bank_bin, payments_count, payments_value, late_count, failed_count)
       SELECT k.month, d.street_id, d.category, d.bank_bin, sum(d.payments_count), sum(d.payments_value),
              sum(d.late_count), sum(d.failed_count)
       FROM unnest($1::uuid[], $2::date[]) AS k(street_id, month)
       JOIN daily_payment d ON d.street_id = k.street_id AND d.day >= k.month AND d.day < (k.month + interval '1 month')
       GROUP BY k.month, d.street_id, d.category, d.bank_bin`,
      [monthStreets, monthStarts],
    );
  }

  private async refreshActivity(em: EntityManager, merchantMonths: Set<string>): Promise<void> {
    if (merchantMonths.size === 0) return;
    const [months, merchants] = split(merchantMonths);
    await em.query(
      `DELETE FROM merchant_activity a USING unnest($1::date[], $2::uuid[]) AS k(month, merchant_id)
       WHERE a.month = k.month AND a.merchant_id = k.merchant_id`,
      [months, merchants],
    );
    await em.query(
      `INSERT INTO merchant_activity (month, merchant_id, bank_bin, street_id, category, active_days)
       SELECT k.month, p.merchant_id, p.bank_bin, p.street_id, p.category,
              bit_or(1 << (extract(day FROM p.day)::int - 1))
       FROM unnest($1::date[], $2::uuid[]) AS k(month, merchant_id)
       JOIN payment_fact p ON p.merchant_id = k.merchant_id
                          AND p.day >= k.month AND p.day < (k.month + interval '1 month')
       WHERE p.street_id IS NOT NULL
       GROUP BY k.month, p.merchant_id, p.bank_bin, p.street_id, p.category`,
      [months, merchants],
    );
  }

  private async refreshDaySketches(em: EntityManager, slices: Set<string>): Promise<void> {
    const streetSlices = new Set([...slices].filter((k) => !k.startsWith(`${ALL_STREETS}|`)));
    if (streetSlices.size > 0) {
      const [streets, days] = split(streetSlices);
      const rows = (await em.query(
        `SELECT p.street_id::text, p.day::text, p.shopper_register AS register, max(p.shopper_rank) AS rank
         FROM unnest($1::uuid[], $2::date[]) AS s(street_id, day)
         JOIN payment_fact p ON p.street_id = s.street_id AND p.day = s.day
         WHERE p.shopper_register IS NOT NULL
         GROUP BY 1, 2, 3`,
        [streets, days],
      )) as { street_id: string; day: string; register: number; rank: number }[];
      const sketches = new Map<string, Uint8Array>();
      for (const row of rows) {
        const key = `${row.street_id}|${row.day}`;
        let sketch = sketches.get(key);
        if (!sketch) sketches.set(key, (sketch = emptySketch()));
        addSlot(sketch, { register: row.register, rank: row.rank });
      }
      await replaceSketches(em, 'day', streets, days, sketches);
    }
    // The whole city's day: the union of its streets' day sketches, once those are current.
    const cityDays = [...slices].filter((k) => k.startsWith(`${ALL_STREETS}|`)).map((k) => k.split('|')[1]);
    if (cityDays.length === 0) return;
    const rows = (await em.query(
      `SELECT start::text AS day, sketch FROM shopper_sketch
       WHERE period = 'day' AND start = ANY($1::date[]) AND street_id <> $2`,
      [cityDays, ALL_STREETS],
    )) as { day: string; sketch: Buffer }[];
    const merged = mergeByKey(rows, (row) => `${ALL_STREETS}|${row.day}`);
    await replaceSketches(
      em,
      'day',
      cityDays.map(() => ALL_STREETS),
      cityDays,
      merged,
    );
  }

  private async refreshRollupSketches(em: EntityManager, rollups: Set<string>): Promise<void> {
    for (const period of ['week', 'month'] as const) {
      const keys = [...rollups].filter((k) => k.startsWith(`${period}|`)).map((k) => k.slice(period.length + 1));
      if (keys.length === 0) continue;
      const [streets, starts] = split(keys);
      const ends = starts.map((s) => (period === 'week' ? addDays(s, 6) : monthEnd(s)));
      const rows = (await em.query(
        `SELECT k.street_id::text, k.start::text, d.sketch
         FROM unnest($1::uuid[], $2::date[], $3::date[]) AS k(street_id, start, finish)
         JOIN shopper_sketch d ON d.period = 'day' AND d.street_id = k.street_id AND d.start BETWEEN k.start AND k.finish`,
        [streets, starts, ends],
      )) as { street_id: string; start: string; sketch: Buffer }[];
      await replaceSketches(
        em,
        period,
        streets,
        starts,
        mergeByKey(rows, (row) => `${row.street_id}|${row.start}`),
      );
    }
  }
}

/** A `street_total` row's key: a street's calendar day, ISO week or month, with its last day. */
interface BucketKey {
  period: Granularity;
  streetId: string;
  start: string;
  finish: string;
}

type StreetTotal = BucketKey & { count: number; value: number; late: number; failed: number; merchants: number };

function bucketKeysOf(streetId: string, day: string): BucketKey[] {
  const week = weekStart(day);
  const month = monthStart(day);
  return [
    { period: 'day', streetId, start: day, finish: day },
    { period: 'week', streetId, start: week, finish: addDays(week, 6) },
    { period: 'month', streetId, start: month, finish: monthEnd(month) },
  ];
}

/** Day 0 of `merchant_days.days` (bit 0, the leftmost). */
export const DAYS_EPOCH_DAY = '2024-01-01';
export const DAYS_EPOCH = `date '${DAYS_EPOCH_DAY}'`;

/** SQL aggregate: the `merchant_days.days` bit string with the bits of the `day` column's days set. */
export const DAY_BITS = (day: string) => `bit_or(set_bit(0::bit(8192), ${day} - ${DAYS_EPOCH}, 1))`;

/** SQL: how many days of [from, to] (date expressions) are set in a `merchant_days.days` bit string. */
export const DAYS_IN_RANGE = (days: string, from: string, to: string) =>
  `bit_count(substring(${days} FROM (${from} - ${DAYS_EPOCH}) + 1 FOR (${to} - ${from}) + 1))`;

/** The slices plus the whole city's slice of each of their days (whole-city shopper sketches). */
function withCitySlices(slices: Set<string>): Set<string> {
  return new Set([...slices, ...[...slices].map((k) => `${ALL_STREETS}|${k.split('|')[1]}`)]);
}

/**
 * SQL: merchants of a street (every street for `allStreets`) paid in [from, to], for `street_total`
 * (two subqueries, so each keeps its index).
 */
export const COUNT_ACTIVE = (street: string, from: string, to: string, allStreets: string) => `
  CASE WHEN ${street} = ${allStreets}
    THEN (SELECT count(*) FROM merchant_days m WHERE m.bank_bin = '' AND ${DAYS_IN_RANGE('m.days', from, to)} > 0)
    ELSE (SELECT count(*) FROM merchant_days m
          WHERE m.bank_bin = '' AND m.street_id = ${street} AND ${DAYS_IN_RANGE('m.days', from, to)} > 0)
  END`;

/** The week and month sketches (`week|street|start`) that depend on the given day slices. */
function rollupsOf(slices: Set<string>): Set<string> {
  const rollups = new Set<string>();
  for (const slice of slices) {
    const [street, day] = slice.split('|');
    rollups.add(`week|${street}|${weekStart(day)}`);
    rollups.add(`month|${street}|${monthStart(day)}`);
  }
  return rollups;
}

async function replaceSketches(
  em: EntityManager,
  period: 'day' | 'week' | 'month',
  streets: string[],
  starts: string[],
  sketches: Map<string, Uint8Array>,
): Promise<void> {
  await queryText(
    em,
    `DELETE FROM shopper_sketch s USING unnest($2::uuid[], $3::date[]) AS k(street_id, start)
     WHERE s.period = $1 AND s.street_id = k.street_id AND s.start = k.start`,
    [period, streets, starts],
  );
  if (sketches.size === 0) return;
  const [keyStreets, keyStarts] = split(sketches.keys());
  await queryText(
    em,
    `INSERT INTO shopper_sketch (period, start, street_id, sketch, shoppers)
     SELECT $1, start, street_id, sketch, shoppers
     FROM unnest($2::uuid[], $3::date[], $4::bytea[], $5::int[]) AS k(street_id, start, sketch, shoppers)`,
    [
      period,
      keyStreets,
      keyStarts,
      [...sketches.values()].map((s) => Buffer.from(s)),
      [...sketches.values()].map((s) => estimate(s)),
    ],
  );
}

/**
 * Transaction-scoped advisory locks on `keys`, taken in one statement in hash order so two
 * transactions never wait on each other in opposite orders.
 */
export async function lockKeys(em: EntityManager, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await queryText(
    em,
    `SELECT pg_advisory_xact_lock(h)
     FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h OFFSET 0) AS ordered`,
    [keys],
  );
}

/**
 * One fact per merchant out of a batch: the latest snapshot, with the earliest status days of all
 * (the same merge the upsert does against the stored row, so the batch size never matters).
 */
export function mergeMerchantFacts(facts: MerchantFact[]): MerchantFact[] {
  const merged = new Map<string, MerchantFact>();
  const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
  for (const fact of facts) {
    const current = merged.get(fact.merchantId);
    if (!current) {
      merged.set(fact.merchantId, fact);
      continue;
    }
    const newer = isNewerVersion(fact, current) ? fact : current;
    merged.set(fact.merchantId, {
      ...newer,
      registeredDay: earliest(current.registeredDay, fact.registeredDay)!,
      approvedDay: earliest(current.approvedDay, fact.approvedDay),
      rejectedDay: earliest(current.rejectedDay, fact.rejectedDay),
      closedDay: earliest(current.closedDay, fact.closedDay),
    });
  }
  return [...merged.values()];
}

function isNewerVersion(a: MerchantFact, b: MerchantFact): boolean {
  const ta = Date.parse(a.versionAt);
  const tb = Date.parse(b.versionAt);
  return ta !== tb ? ta > tb : a.versionId > b.versionId;
}

/** Every derived key of the stored facts, for a rebuild. */
export async function allAffectedKeys(em: EntityManager): Promise<AffectedKeys> {
  const affected = new AffectedKeys();
  const slices = (await em.query(
    'SELECT DISTINCT street_id::text, day::text FROM payment_fact WHERE street_id IS NOT NULL',
  )) as { street_id: string; day: string }[];
  for (const s of slices) affected.slices.add(`${s.street_id}|${s.day}`);
  const months = (await em.query(
    `SELECT DISTINCT date_trunc('month', day)::date::text AS month, merchant_id::text FROM payment_fact`,
  )) as { month: string; merchant_id: string }[];
  for (const m of months) affected.merchantMonths.add(`${m.month}|${m.merchant_id}`);
  return affected;
}
