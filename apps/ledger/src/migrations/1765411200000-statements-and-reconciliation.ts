import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What statements and reconciliation need beside the journal: a compact record of every
 * money-moving payment event the ledger received (written in the inbox transaction that posts
 * it, so it is there exactly when the event was processed), and the stored reconciliation runs.
 */
export class StatementsAndReconciliation1765411200000 implements MigrationInterface {
  name = 'StatementsAndReconciliation1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_payment_event (
        event_id        uuid PRIMARY KEY,
        event_type      text        NOT NULL,
        posting_key     text        NOT NULL,
        notification_id uuid        NOT NULL,
        payment_id      uuid,
        merchant_id     uuid,
        amount          bigint      NOT NULL CHECK (amount > 0),
        payment_code    text,
        order_ref       text,
        payer_name      text,
        -- When the payment service received the transfer (the reconciliation day of a receipt),
        -- and when the money moved (of an officer's resolution).
        received_at     timestamptz NOT NULL,
        effective_at    timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX ledger_payment_event_received ON ledger_payment_event (received_at)');
    await q.query('CREATE INDEX ledger_payment_event_effective ON ledger_payment_event (effective_at)');
    await q.query('CREATE INDEX ledger_payment_event_key ON ledger_payment_event (posting_key)');
    // A merchant's transactions of a day (statements) and the event-caused ones of a day
    // (reconciliation); the journal itself is keyed by chain position only.
    await q.query(
      'CREATE INDEX ledger_transaction_merchant_time ON ledger_transaction (merchant_id, effective_at) WHERE merchant_id IS NOT NULL',
    );
    await q.query(
      'CREATE INDEX ledger_transaction_effective ON ledger_transaction (effective_at) WHERE source_event_id IS NOT NULL',
    );
    await q.query(`
      CREATE TABLE ledger_reconciliation_run (
        id           uuid PRIMARY KEY,
        day          date        NOT NULL,
        checked_at   timestamptz NOT NULL,
        trigger      text        NOT NULL CHECK (trigger IN ('schedule', 'request')),
        requested_by text,
        clean        boolean     NOT NULL,
        report       jsonb       NOT NULL
      )`);
    await q.query('CREATE INDEX ledger_reconciliation_run_day ON ledger_reconciliation_run (day, checked_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ledger_reconciliation_run');
    await q.query('DROP INDEX ledger_transaction_effective');
    await q.query('DROP INDEX ledger_transaction_merchant_time');
    await q.query('DROP TABLE ledger_payment_event');
  }
}
