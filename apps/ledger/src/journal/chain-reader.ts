import type { EntrySide, PaymentChannel, PostingRule } from '@cashless/contracts';
import { ChainVerifier } from './hash-chain';
import type { ChainLink, ChainVerification } from './hash-chain';

/** Any way to run a query and get rows: a `pg` client, a TypeORM DataSource or EntityManager. */
export type RowQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

interface TransactionRow {
  id: string;
  posting_key: string;
  rule: PostingRule;
  source_event_id: string | null;
  source_event_type: string | null;
  refund_id: string | null;
  merchant_id: string | null;
  channel: PaymentChannel | null;
  payment_id: string | null;
  notification_id: string | null;
  effective_at: Date;
  memo: Record<string, string>;
  chain_id: string;
  chain_seq: string;
  prev_hash: string;
  hash: string;
}

interface EntryRow {
  transaction_id: string;
  code: string | null;
  side: EntrySide;
  amount: string;
}

/**
 * Reads the journal chain by chain, in chain order, a page at a time (keyset pagination on the
 * chain position index), each transaction with its entries as stored. An entry whose account row
 * is missing reads with an empty code, which no hash matches.
 */
export async function* readChainLinks(query: RowQuery, pageSize = 2000): AsyncGenerator<ChainLink> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows = (await query(
      `SELECT id, posting_key, rule, source_event_id, source_event_type, refund_id, merchant_id, channel, payment_id,
              notification_id, effective_at, memo, chain_id, chain_seq,
              encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash
       FROM ledger_transaction
       ${after ? 'WHERE (chain_id, chain_seq) > ($2, $3::bigint)' : ''}
       ORDER BY chain_id, chain_seq LIMIT $1`,
      after ? [pageSize, ...after] : [pageSize],
    )) as unknown as TransactionRow[];
    if (rows.length === 0) return;
    const entries = (await query(
      `SELECT e.transaction_id, a.code, e.side, e.amount::text AS amount
       FROM ledger_entry e LEFT JOIN ledger_account a ON a.id = e.account_id
       WHERE e.transaction_id = ANY($1::uuid[])
       ORDER BY e.transaction_id, e.line`,
      [rows.map((r) => r.id)],
    )) as unknown as EntryRow[];
    const byTransaction = new Map<string, EntryRow[]>();
    for (const e of entries) byTransaction.set(e.transaction_id, [...(byTransaction.get(e.transaction_id) ?? []), e]);
    for (const row of rows) yield toLink(row, byTransaction.get(row.id) ?? []);
    const last = rows[rows.length - 1];
    after = [last.chain_id, last.chain_seq];
  }
}

function toLink(row: TransactionRow, entries: EntryRow[]): ChainLink {
  return {
    id: row.id,
    chainId: row.chain_id,
    chainSeq: Number(row.chain_seq),
    postingKey: row.posting_key,
    rule: row.rule,
    sourceEventId: row.source_event_id,
    sourceEventType: row.source_event_type,
    refundId: row.refund_id,
    merchantId: row.merchant_id,
    channel: row.channel,
    paymentId: row.payment_id,
    notificationId: row.notification_id,
    effectiveAt: row.effective_at.toISOString(),
    memo: row.memo,
    entries: entries.map((e) => ({ accountCode: e.code ?? '', side: e.side, amount: BigInt(e.amount) })),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Verifies every chain of the journal; stops at the first broken link. */
export async function verifyJournal(query: RowQuery, pageSize?: number): Promise<ChainVerification> {
  const verifier = new ChainVerifier();
  for await (const link of readChainLinks(query, pageSize)) if (!verifier.check(link)) break;
  return verifier.result();
}
