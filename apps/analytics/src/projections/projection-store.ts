import type { EntityManager } from 'typeorm';
import { addDays, monthEnd, monthStart, weekStart } from '../kpi/calendar';
import { FAILED_OUTCOMES } from './facts';
import type { MerchantFact, PaymentFact } from './facts';
import { addSlot, emptySketch, mergeInto } from './shopper-sketch';

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
    const inserted = (await em.query(
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
    const slices = new Set(payments.map((p) => `${p.streetId}|${p.day}`));
    await lockKeys(
      em,
      [...slices, ...rollupsOf(slices)].map((k) => `derived:${k}`),
    );
    const figures = [
      payments.map((p) => p.day),
      payments.map((p) => p.streetId),
      payments.map((p) => p.category),
      payments.map((p) => p.bankBin),
      payments.map((p) => p.amount),
      payments.map((p) => p.delaySeconds),
      payments.map((p) => p.outcome),
      this.options.lateSeconds,
      FAILED_OUTCOMES,
    ];
    for (const [table, period, bucket] of [
      ['daily_payment', 'day', 'day'],
      ['monthly_payment', 'month', "date_trunc('month', day)::date"],
    ] as const) {
      await em.query(
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
    await em.query(
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
    await this.addToSketches(em, payments);
  }

  /** Puts new shoppers' slots into the day, week and month sketches of their streets. */
  private async addToSketches(em: EntityManager, payments: NewPayment[]): Promise<void> {
    const slots = new Map<
      string,
      { period: 'day' | 'week' | 'month'; streetId: string; start: string; slots: PaymentFact[] }
    >();
    for (const p of payments) {
      if (p.shopperRegister === null || p.shopperRank === null) continue;
      for (const [period, start] of [
        ['day', p.day],
        ['week', weekStart(p.day)],
        ['month', monthStart(p.day)],
      ] as const) {
        const key = `${period}|${p.streetId}|${start}`;
        const entry = slots.get(key) ?? { period, streetId: p.streetId, start, slots: [] };
        entry.slots.push(p);
        slots.set(key, entry);
      }
    }
    if (slots.size === 0) return;
    const keys = [...slots.values()];
    const stored = (await em.query(
      `SELECT s.period, s.street_id::text, s.start::text, s.sketch
       FROM unnest($1::text[], $2::uuid[], $3::date[]) AS k(period, street_id, start)
       JOIN shopper_sketch s ON s.period = k.period AND s.street_id = k.street_id AND s.start = k.start`,
      [keys.map((k) => k.period), keys.map((k) => k.streetId), keys.map((k) => k.start)],
    )) as { period: string; street_id: string; start: string; sketch: Buffer }[];
    const current = new Map(stored.map((r) => [`${r.period}|${r.street_id}|${r.start}`, r.sketch]));
    const merged = keys.map((k) => {
      const sketch = emptySketch();
      const existing = current.get(`${k.period}|${k.streetId}|${k.start}`);
      if (existing) mergeInto(sketch, existing);
      for (const p of k.slots) addSlot(sketch, { register: p.shopperRegister!, rank: p.shopperRank! });
      return Buffer.from(sketch);
    });
    await em.query(
      `INSERT INTO shopper_sketch (period, street_id, start, sketch)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::date[], $4::bytea[])
       ON CONFLICT (period, street_id, start) DO UPDATE SET sketch = EXCLUDED.sketch`,
      [keys.map((k) => k.period), keys.map((k) => k.streetId), keys.map((k) => k.start), merged],
    );
  }

  /**
   * Recomputes the derived rows of `affected` from the facts. `lock` is false only in a rebuild,
   * which holds the derived tables exclusively.
   */
  async refresh(em: EntityManager, affected: AffectedKeys, lock: boolean): Promise<void> {
    if (affected.empty) return;
    const rollups = rollupsOf(affected.slices);
    if (lock)
      await lockKeys(
        em,
        [...affected.slices, ...rollups].map((k) => `derived:${k}`),
      );
    await this.refreshDaily(em, affected.slices);
    await this.refreshActivity(em, affected.merchantMonths);
    await this.refreshDaySketches(em, affected.slices);
    await this.refreshRollupSketches(em, rollups);
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
    if (slices.size === 0) return;
    const [streets, days] = split(slices);
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
      const merged = new Map<string, Uint8Array>();
      for (const row of rows) {
        const key = `${row.street_id}|${row.start}`;
        let sketch = merged.get(key);
        if (!sketch) merged.set(key, (sketch = emptySketch()));
        mergeInto(sketch, row.sketch);
      }
      await replaceSketches(em, period, streets, starts, merged);
    }
  }
}

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
  await em.query(
    `DELETE FROM shopper_sketch s USING unnest($2::uuid[], $3::date[]) AS k(street_id, start)
     WHERE s.period = $1 AND s.street_id = k.street_id AND s.start = k.start`,
    [period, streets, starts],
  );
  if (sketches.size === 0) return;
  const [keyStreets, keyStarts] = split(sketches.keys());
  await em.query(
    `INSERT INTO shopper_sketch (period, start, street_id, sketch)
     SELECT $1, start, street_id, sketch FROM unnest($2::uuid[], $3::date[], $4::bytea[]) AS k(street_id, start, sketch)`,
    [period, keyStreets, keyStarts, [...sketches.values()].map((s) => Buffer.from(s))],
  );
}

/**
 * Transaction-scoped advisory locks on `keys`, taken in one statement in hash order so two
 * transactions never wait on each other in opposite orders.
 */
export async function lockKeys(em: EntityManager, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await em.query(
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
