import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Instant notices to shop owners: the per-merchant record of announced payments (live feed replay),
 * merchant webhook endpoints, the webhook delivery outbox and its attempt log.
 */
export class MerchantWebhooks1765238500000 implements MigrationInterface {
  name = 'MerchantWebhooks1765238500000';

  async up(q: QueryRunner): Promise<void> {
    // `seq` is the live feed's event id (SSE `id:`), so a reconnecting page resumes after it.
    await q.query(`
      CREATE TABLE merchant_notice (
        seq          bigserial PRIMARY KEY,
        payment_id   uuid NOT NULL UNIQUE,
        merchant_id  uuid NOT NULL,
        payload      jsonb NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX merchant_notice_merchant ON merchant_notice (merchant_id, seq)');
    await q.query('CREATE INDEX merchant_notice_recorded ON merchant_notice (recorded_at)');
    await q.query(`
      CREATE TABLE merchant_webhook (
        merchant_id                 uuid PRIMARY KEY,
        url                         text NOT NULL CHECK (length(url) <= 2000),
        enabled                     boolean NOT NULL DEFAULT true,
        -- Kept in clear: it signs every delivery. Only a prefix is ever shown again.
        secret                      text NOT NULL,
        -- The secret before the last rotation also signs deliveries until it expires.
        previous_secret             text,
        previous_secret_expires_at  timestamptz,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        updated_at                  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        -- UUIDv7: time-ordered, so the delivery log pages by id alone.
        id               uuid PRIMARY KEY,
        merchant_id      uuid NOT NULL,
        event_type       text NOT NULL,
        payment_id       uuid,
        -- The exact JSON sent on every attempt.
        body             text NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'canceled')),
        attempt_count    int NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        -- Set when a worker takes the row; only that worker's result may settle it.
        claim_token      uuid,
        first_attempt_at timestamptz,
        last_attempt_at  timestamptz,
        last_status_code int,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`);
    await q.query('CREATE INDEX webhook_delivery_merchant ON webhook_delivery (merchant_id, id DESC)');
    await q.query(`
      CREATE TABLE webhook_attempt (
        id            bigserial PRIMARY KEY,
        delivery_id   uuid NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        attempted_at  timestamptz NOT NULL,
        url           text NOT NULL,
        status_code   int,
        error         text,
        duration_ms   int NOT NULL,
        response      text CHECK (length(response) <= 500)
      )`);
    await q.query('CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempt');
    await q.query('DROP TABLE webhook_delivery');
    await q.query('DROP TABLE merchant_webhook');
    await q.query('DROP TABLE merchant_notice');
  }
}
