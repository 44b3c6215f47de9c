import type { EntrySide, PaymentChannel, PostingRule } from '@cashless/contracts';
import type { Account } from './accounts';

export interface Entry {
  account: Account;
  side: EntrySide;
  /** Whole đồng, > 0. */
  amount: bigint;
}

/** What caused a transaction: an event on Kafka, or a request to the ledger's own API. */
export type TransactionSource = { eventId: string; eventType: string } | { refundId: string };

/**
 * A journal transaction before it is placed in a hash chain: what a posting rule produces.
 * `effectiveAt` is an ISO-8601 instant in UTC with milliseconds (normalised by `instant`), so
 * it reads back from PostgreSQL identically and hashes the same on every machine.
 */
export interface ProposedTransaction {
  postingKey: string;
  rule: PostingRule;
  source: TransactionSource;
  merchantId: string | null;
  channel: PaymentChannel | null;
  paymentId: string | null;
  /** The bank notification the money movement belongs to, if any. */
  notificationId: string | null;
  effectiveAt: string;
  /** Facts kept for statements and reconciliation (string values only, so they hash canonically). */
  memo: Record<string, string>;
  entries: Entry[];
}

export class UnbalancedTransactionError extends Error {
  constructor(postingKey: string, detail: string) {
    super(`Transaction ${postingKey} is not a valid double entry: ${detail}`);
    this.name = 'UnbalancedTransactionError';
  }
}

/** Every transaction has ≥ 2 entries, every amount > 0, and debits = credits. Throws otherwise. */
export function assertBalanced(tx: Pick<ProposedTransaction, 'postingKey' | 'entries'>): void {
  if (tx.entries.length < 2) throw new UnbalancedTransactionError(tx.postingKey, 'fewer than two entries');
  let debits = 0n;
  let credits = 0n;
  for (const entry of tx.entries) {
    if (entry.amount <= 0n) throw new UnbalancedTransactionError(tx.postingKey, `amount ${entry.amount} is not > 0`);
    if (entry.side === 'debit') debits += entry.amount;
    else credits += entry.amount;
  }
  if (debits !== credits) {
    throw new UnbalancedTransactionError(tx.postingKey, `debits ${debits} ≠ credits ${credits}`);
  }
}

/** Normalises an ISO-8601 instant (any offset, any precision) to UTC with milliseconds. */
export function instant(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${String(iso)}`);
  return date.toISOString();
}

/**
 * The compensating transaction of `tx`: the same entries with debit and credit swapped. Nothing
 * is updated or deleted; posting both leaves every balance as it was before `tx`.
 */
export function reverse(
  tx: ProposedTransaction,
  options: { effectiveAt: string; reason: string; source: TransactionSource },
): ProposedTransaction {
  return {
    postingKey: `reversal:${tx.postingKey}`,
    rule: 'reversal',
    source: options.source,
    merchantId: tx.merchantId,
    channel: tx.channel,
    paymentId: tx.paymentId,
    notificationId: tx.notificationId,
    effectiveAt: instant(options.effectiveAt),
    memo: { reverses: tx.postingKey, reason: options.reason },
    entries: tx.entries.map((e) => ({ ...e, side: e.side === 'debit' ? 'credit' : 'debit' })),
  };
}
