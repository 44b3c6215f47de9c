import { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNT_ACTIVE, DAY_BITS } from '../projections/projection-store';
import { ALL_STREETS, estimate, mergeByKey } from '../projections/shopper-sketch';

/**
 * Read tables sized for the dashboard's latency goal (ADR 0013):
 *
 * - `merchant_days`: per merchant (and per merchant × bank) one bit per day since 2024-01-01 on
 *   which it was paid, so "distinct merchants paid in [from, to]" is one bit test per merchant,
 *   whatever the range (active 7/30 days, a year, a campaign).
 * - `street_total`: per street and calendar day, ISO week and month: payments, value, late,
 *   failed and distinct paying merchants, so an unfiltered series reads one row per street and
 *   bucket instead of every category × bank row and every merchant.
 *
 * - `shopper_sketch` gains each sketch's estimate (`shoppers`: a single whole bucket is read
 *   without its 2 KiB) and the whole city's sketches under street id ALL_STREETS.
 *
 * - `daily_payment`, `monthly_payment` and `street_total` gain the whole city's rows (street id
 *   ALL_STREETS), so an unfiltered report reads one row per bucket.
 *
 * All are filled from the existing tables here; afterwards the consumers keep them.
 */
export class AnalyticsStreetTotals1765497600000 implements MigrationInterface {
  name = 'AnalyticsStreetTotals1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_days (
        merchant_id uuid NOT NULL,
        -- '' = any bank: the row distinct-merchant counts without a bank filter read.
        bank_bin    text NOT NULL,
        street_id   uuid NOT NULL,
        category    text NOT NULL,
        -- Bit i (leftmost = 0) set when paid on 2024-01-01 + i days (8,192 days: to mid-2046).
        days        bit(8192) NOT NULL,
        PRIMARY KEY (merchant_id, bank_bin)
      )`);
    await q.query('CREATE INDEX merchant_days_street ON merchant_days (bank_bin, street_id)');
    await q.query(`
      CREATE TABLE street_total (
        period           text NOT NULL CHECK (period IN ('day', 'week', 'month')),
        start            date NOT NULL,
        street_id        uuid NOT NULL,
        payments_count   int NOT NULL,
        payments_value   bigint NOT NULL,
        late_count       int NOT NULL,
        failed_count     int NOT NULL,
        active_merchants int NOT NULL,
        PRIMARY KEY (period, street_id, start)
      )`);
    // Sketches are 2 KiB: stored inline and uncompressed, so a batch's read-merge-write of the
    // touched ones costs no compression round trip.
    await q.query('ALTER TABLE shopper_sketch ALTER COLUMN sketch SET STORAGE PLAIN');
    await q.query('ALTER TABLE shopper_sketch ADD COLUMN shoppers int');
    await q.query('CREATE INDEX shopper_sketch_start ON shopper_sketch (period, start)');
    await this.fillSketches(q);
    // The whole city's rows (street ALL_STREETS) in the payment tables.
    for (const [table, period] of [
      ['daily_payment', 'day'],
      ['monthly_payment', 'month'],
    ]) {
      await q.query(
        `INSERT INTO ${table} (${period}, street_id, category, bank_bin, payments_count, payments_value, late_count, failed_count)
         SELECT ${period}, $1, category, bank_bin, sum(payments_count), sum(payments_value), sum(late_count), sum(failed_count)
         FROM ${table} GROUP BY ${period}, category, bank_bin`,
        [ALL_STREETS],
      );
    }
    await q.query(`
      INSERT INTO merchant_days (merchant_id, bank_bin, street_id, category, days)
      SELECT merchant_id, coalesce(bank_bin, ''), street_id, category, ${DAY_BITS('day')}
      FROM (SELECT DISTINCT merchant_id, bank_bin, street_id, category, day FROM payment_fact WHERE street_id IS NOT NULL) p
      GROUP BY GROUPING SETS ((merchant_id, bank_bin, street_id, category), (merchant_id, street_id, category))`);
    await q.query(
      `
      INSERT INTO street_total (period, start, street_id, payments_count, payments_value, late_count, failed_count, active_merchants)
      SELECT b.period, b.start, d.street_id, sum(d.payments_count), sum(d.payments_value), sum(d.late_count),
             sum(d.failed_count),
             ${COUNT_ACTIVE('d.street_id', 'b.start', 'b.finish', '$1')}
      FROM daily_payment d
      CROSS JOIN LATERAL (VALUES
        ('day', d.day, d.day),
        ('week', date_trunc('week', d.day)::date, date_trunc('week', d.day)::date + 6),
        ('month', date_trunc('month', d.day)::date, (date_trunc('month', d.day) + interval '1 month - 1 day')::date)
      ) AS b(period, start, finish)
      GROUP BY b.period, b.start, b.finish, d.street_id`,
      [ALL_STREETS],
    );
    await q.query('ANALYZE merchant_days, street_total, daily_payment, monthly_payment, shopper_sketch');
  }

  /** Estimates of the stored sketches, and the whole city's sketches as the union of its streets'. */
  private async fillSketches(q: QueryRunner): Promise<void> {
    const rows = (await q.query('SELECT period, street_id::text, start::text, sketch FROM shopper_sketch')) as {
      period: string;
      street_id: string;
      start: string;
      sketch: Buffer;
    }[];
    const city = mergeByKey(rows, (row) => `${row.period}|${row.start}`);
    const all = [
      ...rows.map((r) => ({ period: r.period, streetId: r.street_id, start: r.start, sketch: new Uint8Array(r.sketch) })),
      ...[...city].map(([key, sketch]) => {
        const [period, start] = key.split('|');
        return { period, streetId: ALL_STREETS, start, sketch };
      }),
    ];
    for (let i = 0; i < all.length; i += 1_000) {
      const chunk = all.slice(i, i + 1_000);
      await q.query(
        `INSERT INTO shopper_sketch (period, street_id, start, sketch, shoppers)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::date[], $4::bytea[], $5::int[])
         ON CONFLICT (period, street_id, start) DO UPDATE SET shoppers = EXCLUDED.shoppers`,
        [
          chunk.map((c) => c.period),
          chunk.map((c) => c.streetId),
          chunk.map((c) => c.start),
          chunk.map((c) => Buffer.from(c.sketch)),
          chunk.map((c) => estimate(c.sketch)),
        ],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['shopper_sketch', 'daily_payment', 'monthly_payment'])
      await q.query(`DELETE FROM ${table} WHERE street_id = $1`, [ALL_STREETS]);
    await q.query('DROP INDEX shopper_sketch_start');
    await q.query('ALTER TABLE shopper_sketch DROP COLUMN shoppers');
    await q.query('ALTER TABLE shopper_sketch ALTER COLUMN sketch SET STORAGE EXTENDED');
    await q.query('DROP TABLE street_total');
    await q.query('DROP TABLE merchant_days');
  }
}
