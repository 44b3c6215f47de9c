import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry journal (ADR 0011): accounts created on demand, append-only transactions and
 * entries, per-lane balance buckets, refunds recorded through the API.
 *
 * No foreign keys between journal tables: every row of a transaction is written by one statement
 * set in one database transaction, and a foreign-key check would take a share lock on the
 * referenced row, which on a hot account (suspense, a busy shop) is what serialises writers.
 * The hash chain (see `ledger verify`) covers transactions with their entries instead.
 */
export class Journal1765324800000 implements MigrationInterface {
  name = 'Journal1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_account (
        id          uuid PRIMARY KEY,
        code        text        NOT NULL,
        kind        text        NOT NULL CHECK (kind IN ('bank', 'takings', 'refunds', 'suspense', 'dismissed')),
        normal_side text        NOT NULL CHECK (normal_side IN ('debit', 'credit')),
        merchant_id uuid,
        channel     text        CHECK (channel IN ('dynamic_qr', 'static_qr')),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_account_merchant ON ledger_account (merchant_id) WHERE merchant_id IS NOT NULL`);

    // Keyed by chain position (appended in order per lane); the id is derived from the posting key
    // (unique), so it needs no index of its own.
    await q.query(`
      CREATE TABLE ledger_transaction (
        chain_id          text        NOT NULL,
        chain_seq         bigint      NOT NULL CHECK (chain_seq > 0),
        id                uuid        NOT NULL,
        posting_key       text        NOT NULL,
        rule              text        NOT NULL,
        source_event_id   uuid,
        source_event_type text,
        refund_id         uuid,
        merchant_id       uuid,
        channel           text,
        payment_id        uuid,
        notification_id   uuid,
        effective_at      timestamptz NOT NULL,
        posted_at         timestamptz NOT NULL,
        memo              jsonb       NOT NULL,
        prev_hash         bytea       NOT NULL,
        hash              bytea       NOT NULL,
        PRIMARY KEY (chain_id, chain_seq),
        CONSTRAINT ledger_transaction_posting_key UNIQUE (posting_key)
      )`);
    await q.query(
      `CREATE INDEX ledger_transaction_payment ON ledger_transaction (payment_id) WHERE payment_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE ledger_entry (
        transaction_id uuid        NOT NULL,
        line           smallint    NOT NULL,
        account_id     uuid        NOT NULL,
        side           text        NOT NULL CHECK (side IN ('debit', 'credit')),
        amount         bigint      NOT NULL CHECK (amount > 0),
        effective_at   timestamptz NOT NULL,
        PRIMARY KEY (transaction_id, line)
      )`);
    // Balance of an account at any instant: its entries up to that effective time.
    await q.query(`CREATE INDEX ledger_entry_account_time ON ledger_entry (account_id, effective_at)`);

    // The journal is append-only: UPDATE, DELETE and TRUNCATE are refused (statement-level, so
    // inserts pay nothing). Tampering therefore needs a superuser, and the hash chain shows it.
    await q.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger journal is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_transaction', 'ledger_entry']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }

    // Totals per account and lane: each lane has one writer at a time, so a hot account's rows
    // never make two lanes wait for each other. An account's totals are the sum of its lanes.
    await q.query(`
      CREATE TABLE ledger_balance (
        account_id uuid   NOT NULL,
        lane       text   NOT NULL,
        debits     bigint NOT NULL CHECK (debits >= 0),
        credits    bigint NOT NULL CHECK (credits >= 0),
        PRIMARY KEY (account_id, lane)
      ) WITH (fillfactor = 70)`);

    await q.query(`
      CREATE TABLE ledger_refund (
        id                     uuid PRIMARY KEY,
        merchant_id            uuid        NOT NULL,
        receipt_transaction_id uuid        NOT NULL,
        amount                 bigint      NOT NULL CHECK (amount > 0),
        reason                 text        NOT NULL,
        requested_by           text        NOT NULL,
        idempotency_key        text        NOT NULL,
        request_hash           text        NOT NULL,
        response               jsonb       NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_refund_idempotency UNIQUE (merchant_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX ledger_refund_receipt ON ledger_refund (receipt_transaction_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ledger_refund');
    await q.query('DROP TABLE ledger_balance');
    await q.query('DROP TABLE ledger_entry');
    await q.query('DROP TABLE ledger_transaction');
    await q.query('DROP FUNCTION ledger_refuse_change');
    await q.query('DROP TABLE ledger_account');
  }
}
