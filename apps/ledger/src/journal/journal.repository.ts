import { DataSource, EntityManager } from 'typeorm';
import { LedgerEventTypes, createEnvelope } from '@cashless/contracts';
import type { EventCatalog, TransactionPostedData } from '@cashless/contracts';
import { preparedStatement, queryPrepared, runPrepared } from '@cashless/database';
import { appendRaw } from '@cashless/messaging';
import { accountId } from './accounts';
import type { Account } from './accounts';
import { planBatch } from './batch-plan';
import type { BatchPlan } from './batch-plan';
import type { ChainHead, ChainLink } from './hash-chain';
import type { ProposedTransaction } from './transaction';

/** A transaction to post, with the trace id of what caused it (carried into its event). */
export interface Posting {
  tx: ProposedTransaction;
  traceId: string;
}

export interface JournalRepositoryOptions {
  /** Where `ledger.transaction_posted` goes. */
  eventsTopic: string;
  /** Validates every outgoing event before it is written (a bad event is a bug: the batch fails). */
  catalog: EventCatalog;
}

// The posting path's statements, planned once per connection (ADR 0016).
const LOCK_LANE = preparedStatement('ledger_lock_lane', 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))');

/** The keys of the batch already posted, and the lane's chain head. */
const READ_LANE = preparedStatement(
  'ledger_read_lane',
  `SELECT posting_key, NULL::bigint AS chain_seq, NULL AS hash
     FROM ledger_transaction WHERE posting_key IN (SELECT json_array_elements_text($1::json))
   UNION ALL
   (SELECT NULL, chain_seq, encode(hash, 'hex') FROM ledger_transaction
    WHERE chain_id = $2 ORDER BY chain_seq DESC LIMIT 1)`,
);

const INSERT_TRANSACTIONS = preparedStatement(
  'ledger_insert_transactions',
  `INSERT INTO ledger_transaction (id, posting_key, rule, source_event_id, source_event_type, refund_id,
     merchant_id, channel, payment_id, notification_id, effective_at, posted_at, memo, chain_id, chain_seq,
     prev_hash, hash)
   SELECT id, posting_key, rule, source_event_id, source_event_type, refund_id, merchant_id, channel, payment_id,
          notification_id, effective_at, $2, memo, chain_id, chain_seq, decode(prev_hash, 'hex'), decode(hash, 'hex')
   FROM json_to_recordset($1::json) AS t(id uuid, posting_key text, rule text, source_event_id uuid,
     source_event_type text, refund_id uuid, merchant_id uuid, channel text, payment_id uuid, notification_id uuid,
     effective_at timestamptz, memo jsonb, chain_id text, chain_seq bigint, prev_hash text, hash text)`,
);

const INSERT_ENTRIES = preparedStatement(
  'ledger_insert_entries',
  `INSERT INTO ledger_entry (transaction_id, line, account_id, side, amount, effective_at)
   SELECT * FROM json_to_recordset($1::json) AS t(transaction_id uuid, line smallint, account_id uuid, side text,
     amount bigint, effective_at timestamptz)`,
);

const ADD_TO_BALANCES = preparedStatement(
  'ledger_add_to_balances',
  `INSERT INTO ledger_balance (account_id, lane, debits, credits)
   SELECT account_id, $2, debits, credits
   FROM json_to_recordset($1::json) AS t(account_id uuid, debits bigint, credits bigint)
   ON CONFLICT (account_id, lane) DO UPDATE
     SET debits = ledger_balance.debits + excluded.debits, credits = ledger_balance.credits + excluded.credits`,
);

/**
 * Writes batches of transactions into PostgreSQL, inside the caller's database transaction:
 *
 * 1. makes sure the accounts exist (committed on their own, see `ensureAccounts`);
 * 2. takes the lane's lock (a transaction-scoped advisory lock): one writer per chain at a time,
 *    and nothing shared with other lanes;
 * 3. reads which posting keys are already posted and the lane's chain head (one statement);
 * 4. plans the batch (pure: `planBatch`) and writes transactions, entries, the lane's balance
 *    buckets and one `ledger.transaction_posted` event per transaction into the outbox.
 *
 * The UNIQUE posting key is the last line of defence: if another lane posts the same key at the
 * same moment, this transaction fails and is replayed, and then skips the key.
 *
 * Rows travel as one JSON document per statement (`json_to_recordset`), not as one array per
 * column: `pg` escapes array elements in JavaScript, which for JSON-heavy text (event payloads,
 * memos) cost more CPU than the rest of a posting.
 */
export class JournalRepository {
  /** Codes of accounts known to be committed; accounts are never deleted, so this only grows. */
  private readonly knownAccounts = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: JournalRepositoryOptions,
  ) {}

  /**
   * Creates the accounts that do not exist yet, committed on their own (not in the caller's
   * transaction): lanes creating the same account then wait for that one short insert, not for
   * each other's whole batch. An account nobody posts to is harmless; the chart only grows.
   * Call it before opening a transaction where you can; `post` calls it too, which then takes a
   * second pool connection for a moment (the pool must be larger than the consumer's concurrency).
   */
  async ensureAccounts(accounts: Account[]): Promise<void> {
    const missing = new Map<string, Account>();
    for (const a of accounts) if (!this.knownAccounts.has(a.code)) missing.set(accountId(a.code), a);
    if (missing.size === 0) return;
    // In id order, so two writers creating overlapping sets cannot deadlock.
    const rows = [...missing.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, a]) => ({
        id,
        code: a.code,
        kind: a.kind,
        normal_side: a.normalSide,
        merchant_id: a.merchantId,
        channel: a.channel,
      }));
    await this.dataSource.query(
      `INSERT INTO ledger_account (id, code, kind, normal_side, merchant_id, channel)
       SELECT * FROM json_to_recordset($1::json)
         AS t(id uuid, code text, kind text, normal_side text, merchant_id uuid, channel text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    if (this.knownAccounts.size > 1_000_000) this.knownAccounts.clear();
    for (const a of missing.values()) this.knownAccounts.add(a.code);
  }

  async post(em: EntityManager, lane: string, postings: Posting[], postedAt = new Date()): Promise<BatchPlan> {
    const empty: BatchPlan = { links: [], transactions: [], skipped: [], deltas: [] };
    if (postings.length === 0) return empty;
    await this.ensureAccounts(postings.flatMap((p) => p.tx.entries.map((e) => e.account)));
    await runPrepared(em, LOCK_LANE, [`ledger-lane:${lane}`]);
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ledger-lane:${lane}`]);
    const { postedKeys, head } = await this.readLane(
      em,
      lane,
      postings.map((p) => p.tx.postingKey),
    );
    const plan = planBatch(
      postings.map((p) => p.tx),
      { chainId: lane, head, postedKeys },
    );
    if (plan.links.length === 0) return plan;
    await this.insertTransactions(em, plan.links, postedAt);
    await this.insertEntries(em, plan.links);
    await this.addToBalances(em, lane, plan);
    const traceIds = new Map(postings.map((p) => [p.tx.postingKey, p.traceId]));
    await this.appendEvents(em, plan.links, postedAt, traceIds);
    return plan;
  }

  private async readLane(
    em: EntityManager,
    lane: string,
    keys: string[],
  ): Promise<{ postedKeys: Set<string>; head: ChainHead | null }> {
    const rows = await queryPrepared<{ posting_key: string | null; chain_seq: string | null; hash: string | null }>(
      em,
      READ_LANE,
      [JSON.stringify(keys), lane],
    );
    const postedKeys = new Set<string>();
    let head: ChainHead | null = null;
    for (const row of rows) {
      if (row.posting_key !== null) postedKeys.add(row.posting_key);
      else head = { chainSeq: Number(row.chain_seq), hash: row.hash! };
    }
    return { postedKeys, head };
  }

  private async insertTransactions(em: EntityManager, links: ChainLink[], postedAt: Date): Promise<void> {
    const rows = links.map((l) => ({
      id: l.id,
      posting_key: l.postingKey,
      rule: l.rule,
      source_event_id: l.sourceEventId,
      source_event_type: l.sourceEventType,
      refund_id: l.refundId,
      merchant_id: l.merchantId,
      channel: l.channel,
      payment_id: l.paymentId,
      notification_id: l.notificationId,
      effective_at: l.effectiveAt,
      memo: l.memo,
      chain_id: l.chainId,
      chain_seq: l.chainSeq,
      prev_hash: l.prevHash,
      hash: l.hash,
    }));
    await runPrepared(em, INSERT_TRANSACTIONS, [JSON.stringify(rows), postedAt]);
  }

  private async insertEntries(em: EntityManager, links: ChainLink[]): Promise<void> {
    const rows = links.flatMap((l) =>
      l.entries.map((e, line) => ({
        transaction_id: l.id,
        line,
        account_id: accountId(e.accountCode),
        side: e.side,
        amount: e.amount.toString(),
        effective_at: l.effectiveAt,
      })),
    );
    await runPrepared(em, INSERT_ENTRIES, [JSON.stringify(rows)]);
  }

  /**
   * Adds the batch's totals to this lane's bucket of each touched account: one row per account
   * per batch, whatever the number of entries. Only this lane's writer touches these rows.
   */
  private async addToBalances(em: EntityManager, lane: string, plan: BatchPlan): Promise<void> {
    const rows = plan.deltas
      .map((d) => ({
        account_id: accountId(d.account.code),
        debits: d.debits.toString(),
        credits: d.credits.toString(),
      }))
      .sort((a, b) => (a.account_id < b.account_id ? -1 : 1));
    await runPrepared(em, ADD_TO_BALANCES, [JSON.stringify(rows), lane]);
  }

  /**
   * One `ledger.transaction_posted` per transaction into the outbox, validated against the
   * catalog. Written by the messaging library's `appendRaw`
   * (its per-key locks let the relay keep per-key order).
   */
  private async appendEvents(
    em: EntityManager,
    links: ChainLink[],
    postedAt: Date,
    traceIds: Map<string, string>,
  ): Promise<void> {
    const rows = links.map((link) => {
      const envelope = createEnvelope<TransactionPostedData>({
        type: LedgerEventTypes.transactionPosted,
        version: 1,
        key: link.merchantId ?? link.postingKey,
        traceId: traceIds.get(link.postingKey)!,
        occurredAt: postedAt,
        data: postedEventData(link, postedAt),
      });
      this.options.catalog.validate(envelope);
      return {
        id: envelope.id,
        topic: this.options.eventsTopic,
        key: envelope.key,
        payload: JSON.stringify(envelope),
        headers: { 'event-id': envelope.id, 'event-type': envelope.type, 'trace-id': envelope.traceId },
      };
    });
    await appendRaw(em, rows);
  }
}

export function postedEventData(link: ChainLink, postedAt: Date): TransactionPostedData {
  return {
    transactionId: link.id,
    postingKey: link.postingKey,
    rule: link.rule,
    sourceEventId: link.sourceEventId,
    sourceEventType: link.sourceEventType,
    refundId: link.refundId,
    merchantId: link.merchantId,
    channel: link.channel,
    paymentId: link.paymentId,
    entries: link.entries.map((e) => ({ accountCode: e.accountCode, side: e.side, amount: Number(e.amount) })),
    effectiveAt: link.effectiveAt,
    postedAt: postedAt.toISOString(),
  };
}
