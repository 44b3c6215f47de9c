import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * First tables of the payment service: the read model of merchants (from `merchant.events.v1`),
 * payment intents and the idempotency keys of intent creation.
 */
export class MerchantReadModelAndIntents1765152000000 implements MigrationInterface {
  name = 'MerchantReadModelAndIntents1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_view (
        merchant_id    uuid PRIMARY KEY,
        status         text NOT NULL,
        -- The last applied event (occurredAt, id): an older one is ignored.
        version_at     timestamptz NOT NULL,
        version_id     uuid NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE merchant_payout_account (
        merchant_id    uuid NOT NULL REFERENCES merchant_view (merchant_id) ON DELETE CASCADE,
        position       int NOT NULL,
        bank_bin       text NOT NULL,
        account_number text NOT NULL,
        account_name   text NOT NULL,
        PRIMARY KEY (merchant_id, position)
      )`);
    await q.query('CREATE INDEX merchant_payout_account_number ON merchant_payout_account (bank_bin, account_number)');
    await q.query(`
      CREATE TABLE payment_intent (
        id             uuid PRIMARY KEY,
        merchant_id    uuid NOT NULL,
        status         text NOT NULL CHECK (status IN ('requires_payment', 'succeeded', 'underpaid', 'overpaid',
                                                      'expired', 'canceled', 'needs_review')),
        amount         bigint NOT NULL CHECK (amount > 0 AND amount < 500000000),
        payment_code   text NOT NULL,
        order_ref      text,
        description    text,
        bank_bin       text NOT NULL,
        account_number text NOT NULL,
        qr_payload     text NOT NULL,
        expires_at     timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX payment_intent_code ON payment_intent (payment_code)');
    await q.query('CREATE INDEX payment_intent_merchant ON payment_intent (merchant_id, created_at DESC, id DESC)');
    await q.query(`CREATE INDEX payment_intent_due ON payment_intent (expires_at) WHERE status = 'requires_payment'`);
    await q.query(`
      CREATE TABLE idempotency_key (
        merchant_id     uuid NOT NULL,
        key             text NOT NULL,
        request_hash    text NOT NULL,
        response_status int NOT NULL,
        response_body   jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (merchant_id, key)
      )`);
    await q.query('CREATE INDEX idempotency_key_created ON idempotency_key (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_key');
    await q.query('DROP TABLE payment_intent');
    await q.query('DROP TABLE merchant_payout_account');
    await q.query('DROP TABLE merchant_view');
  }
}
