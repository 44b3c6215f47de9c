import { MigrationInterface, QueryRunner } from 'typeorm';

/** Bank notifications (raw and canonical), payment records, the unattributed queue. */
export class BankNotificationsAndPayments1765238400000 implements MigrationInterface {
  name = 'BankNotificationsAndPayments1765238400000';

  async up(q: QueryRunner): Promise<void> {
    // Every authentic, well-formed notification, exactly as received (raw bytes and the headers
    // that authenticated it) and in canonical form. The unique key is the dedupe gate: a second
    // insert of the same transaction waits for the first to commit, then does nothing.
    await q.query(`
      CREATE TABLE bank_notification (
        id              uuid PRIMARY KEY,
        provider        text NOT NULL CHECK (provider IN ('generic', 'sepay', 'casso', 'payos')),
        provider_txn_id text NOT NULL,
        direction       text NOT NULL CHECK (direction IN ('in', 'out')),
        -- Null only for an ignored notification whose receiving bank could not be resolved.
        bank_bin        text,
        account_number  text NOT NULL,
        amount          bigint NOT NULL CHECK (amount > 0 AND amount < 500000000),
        content         text NOT NULL,
        transferred_at  timestamptz NOT NULL,
        payer_name      text,
        payer_account   text,
        reference       text,
        -- Set when the notification is acknowledged and stored but not matched.
        ignored_reason  text CHECK (ignored_reason IN ('outgoing', 'not_successful', 'unknown_bank')),
        raw_body        bytea NOT NULL,
        headers         jsonb NOT NULL,
        received_at     timestamptz NOT NULL,
        UNIQUE (provider, provider_txn_id),
        CHECK (bank_bin IS NOT NULL OR ignored_reason IS NOT NULL)
      )`);
    await q.query('CREATE INDEX bank_notification_received ON bank_notification (received_at)');
    // Authentic but malformed notifications, kept for inspection (never matched).
    await q.query(`
      CREATE TABLE bank_notification_rejected (
        id          uuid PRIMARY KEY,
        provider    text NOT NULL,
        reason      text NOT NULL,
        details     jsonb NOT NULL,
        raw_body    bytea NOT NULL,
        raw_size    int NOT NULL,
        headers     jsonb NOT NULL,
        received_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX bank_notification_rejected_received ON bank_notification_rejected (received_at)');
    // A transfer attributed to a merchant. One notification yields at most one payment.
    await q.query(`
      CREATE TABLE payment (
        id              uuid PRIMARY KEY,
        notification_id uuid NOT NULL UNIQUE REFERENCES bank_notification (id),
        merchant_id     uuid NOT NULL,
        channel         text NOT NULL CHECK (channel IN ('dynamic_qr', 'static_qr')),
        outcome         text NOT NULL CHECK (outcome IN ('succeeded', 'underpaid', 'overpaid', 'needs_review', 'static')),
        intent_id       uuid REFERENCES payment_intent (id),
        amount          bigint NOT NULL CHECK (amount > 0 AND amount < 500000000),
        expected_amount bigint,
        payment_code    text,
        order_ref       text,
        payer_name      text,
        payer_account   text,
        transferred_at  timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL,
        -- The PaymentRecordedData published for it.
        data            jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX payment_merchant ON payment (merchant_id, recorded_at DESC, id DESC)');
    await q.query('CREATE INDEX payment_intent_payments ON payment (intent_id) WHERE intent_id IS NOT NULL');
    await q.query(`
      CREATE TABLE unattributed_transfer (
        id              uuid PRIMARY KEY,
        notification_id uuid NOT NULL UNIQUE REFERENCES bank_notification (id),
        reason          text NOT NULL CHECK (reason IN ('unknown_account', 'account_mismatch', 'shared_account')),
        -- The intent a payment code named (account_mismatch), for the officer's judgement.
        intent_id       uuid,
        status          text NOT NULL CHECK (status IN ('open', 'assigned', 'dismissed')),
        merchant_id     uuid,
        payment_id      uuid REFERENCES payment (id),
        officer         text,
        note            text,
        dismiss_reason  text,
        created_at      timestamptz NOT NULL,
        decided_at      timestamptz,
        CHECK ((status = 'open') = (decided_at IS NULL)),
        CHECK ((status = 'assigned') = (payment_id IS NOT NULL))
      )`);
    await q.query('CREATE INDEX unattributed_transfer_list ON unattributed_transfer (created_at DESC, id DESC)');
    await q.query(
      'CREATE INDEX unattributed_transfer_status ON unattributed_transfer (status, created_at DESC, id DESC)',
    );
    // Officers' decisions on money, append-only (a trigger refuses changes, so an entry, once
    // written, is what an auditor reads).
    await q.query(`
      CREATE TABLE payment_audit_log (
        id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at      timestamptz NOT NULL DEFAULT now(),
        actor   text NOT NULL,
        action  text NOT NULL,
        subject text NOT NULL,
        details jsonb NOT NULL
      )`);
    await q.query('CREATE INDEX payment_audit_log_subject ON payment_audit_log (subject, id)');
    await q.query(`
      CREATE FUNCTION payment_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'payment_audit_log is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER payment_audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payment_audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION payment_audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment_audit_log');
    await q.query('DROP FUNCTION payment_audit_log_append_only');
    await q.query('DROP TABLE unattributed_transfer');
    await q.query('DROP TABLE payment');
    await q.query('DROP TABLE bank_notification_rejected');
    await q.query('DROP TABLE bank_notification');
  }
}
