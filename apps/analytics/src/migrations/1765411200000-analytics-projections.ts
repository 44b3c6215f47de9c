import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics tables. Facts (`merchant_fact`, `payment_fact`) are what the consumers write from
 * events; every other table is derived from them by `ProjectionStore.refresh` and can be rebuilt
 * from them at any time. No payer account, phone, tax id or account number is stored.
 */
export class AnalyticsProjections1765411200000 implements MigrationInterface {
  name = 'AnalyticsProjections1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_fact (
        merchant_id    uuid PRIMARY KEY,
        street_id      uuid NOT NULL,
        ward_id        uuid,
        category       text NOT NULL,
        status         text NOT NULL,
        registered_day date NOT NULL,
        -- First approval (board issued), rejection and closing: the earliest wins whatever the arrival order.
        approved_day   date,
        rejected_day   date,
        closed_day     date,
        -- The snapshot's version (event occurredAt, event id): an older event never overwrites a newer one.
        version_at     timestamptz NOT NULL,
        version_id     uuid NOT NULL
      )`);
    await q.query('CREATE INDEX merchant_fact_street ON merchant_fact (street_id)');
    await q.query(`
      CREATE TABLE payment_fact (
        payment_id       uuid PRIMARY KEY,
        merchant_id      uuid NOT NULL,
        day              date NOT NULL,
        amount           bigint NOT NULL CHECK (amount > 0 AND amount < 500000000),
        bank_bin         text NOT NULL,
        channel          text NOT NULL,
        outcome          text NOT NULL,
        delay_seconds    int NOT NULL,
        shopper_register smallint,
        shopper_rank     smallint,
        -- Copied from merchant_fact once the merchant is known (a payment may arrive first).
        street_id        uuid,
        category         text
      )`);
    await q.query('CREATE INDEX payment_fact_slice ON payment_fact (street_id, day)');
    await q.query('CREATE INDEX payment_fact_merchant ON payment_fact (merchant_id, day)');

    // Derived: payments per day × street × category × bank (bank = the destination account's BIN),
    // and the same per month, so long ranges read twelve rows where they would read 365.
    for (const [table, period] of [
      ['daily_payment', 'day'],
      ['monthly_payment', 'month'],
    ]) {
      await q.query(`
        CREATE TABLE ${table} (
          ${period}      date NOT NULL,
          street_id      uuid NOT NULL,
          category       text NOT NULL,
          bank_bin       text NOT NULL,
          payments_count int NOT NULL,
          payments_value bigint NOT NULL,
          late_count     int NOT NULL,
          failed_count   int NOT NULL,
          PRIMARY KEY (${period}, street_id, category, bank_bin)
        )`);
    }
    await q.query('CREATE INDEX daily_payment_street ON daily_payment (street_id, day)');
    // Derived: on which days of a month a merchant was paid into a bank (bit d−1 = day d), so
    // distinct merchants over any range (active 7/30 days, suppression) are exact and cheap.
    await q.query(`
      CREATE TABLE merchant_activity (
        month        date NOT NULL,
        merchant_id  uuid NOT NULL,
        bank_bin     text NOT NULL,
        street_id    uuid NOT NULL,
        category     text NOT NULL,
        active_days  int NOT NULL,
        PRIMARY KEY (month, merchant_id, bank_bin)
      )`);
    await q.query('CREATE INDEX merchant_activity_street ON merchant_activity (street_id, month)');
    // Derived: HyperLogLog sketches of hashed payers per street and day, ISO week and month.
    await q.query(`
      CREATE TABLE shopper_sketch (
        period     text NOT NULL CHECK (period IN ('day', 'week', 'month')),
        start      date NOT NULL,
        street_id  uuid NOT NULL,
        sketch     bytea NOT NULL,
        PRIMARY KEY (period, street_id, start)
      )`);

    await q.query(`
      CREATE TABLE campaign (
        id            uuid PRIMARY KEY,
        name          text NOT NULL,
        start_date    date NOT NULL,
        end_date      date NOT NULL CHECK (end_date >= start_date),
        months_before int NOT NULL CHECK (months_before BETWEEN 1 AND 24),
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'campaign',
      'shopper_sketch',
      'merchant_activity',
      'monthly_payment',
      'daily_payment',
      'payment_fact',
      'merchant_fact',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
