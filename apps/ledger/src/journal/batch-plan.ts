import type { Account } from './accounts';
import { appendToChain } from './hash-chain';
import type { ChainHead, ChainLink } from './hash-chain';
import type { ProposedTransaction } from './transaction';

/** A change to one account's totals, summed over a batch. */
export interface BalanceDelta {
  account: Account;
  debits: bigint;
  credits: bigint;
}

export interface SkippedPosting {
  postingKey: string;
  /** `posted` = an earlier batch posted the key; `repeated` = the key came twice in this batch. */
  reason: 'posted' | 'repeated';
  tx: ProposedTransaction;
}

export interface BatchPlan {
  /** The transactions to write, in chain order, each with its chain position and hash. */
  links: ChainLink[];
  transactions: ProposedTransaction[];
  skipped: SkippedPosting[];
  /** One delta per touched account, sorted by account code (the order rows are locked in). */
  deltas: BalanceDelta[];
}

/**
 * Decides what one batch writes to one lane: drops the posting keys already posted (exactly
 * once, whatever the source redelivers), chains the rest after the lane's head, and sums the
 * balance changes per account so each account's totals change once per batch, not once per entry.
 */
export function planBatch(
  proposals: ProposedTransaction[],
  context: { chainId: string; head: ChainHead | null; postedKeys: ReadonlySet<string> },
): BatchPlan {
  const seen = new Set<string>();
  const transactions: ProposedTransaction[] = [];
  const skipped: SkippedPosting[] = [];
  for (const tx of proposals) {
    if (context.postedKeys.has(tx.postingKey)) skipped.push({ postingKey: tx.postingKey, reason: 'posted', tx });
    else if (seen.has(tx.postingKey)) skipped.push({ postingKey: tx.postingKey, reason: 'repeated', tx });
    else {
      seen.add(tx.postingKey);
      transactions.push(tx);
    }
  }
  return {
    links: appendToChain(context.chainId, context.head, transactions),
    transactions,
    skipped,
    deltas: sumDeltas(transactions),
  };
}

function sumDeltas(transactions: ProposedTransaction[]): BalanceDelta[] {
  const byCode = new Map<string, BalanceDelta>();
  for (const tx of transactions) {
    for (const entry of tx.entries) {
      let delta = byCode.get(entry.account.code);
      if (!delta) byCode.set(entry.account.code, (delta = { account: entry.account, debits: 0n, credits: 0n }));
      if (entry.side === 'debit') delta.debits += entry.amount;
      else delta.credits += entry.amount;
    }
  }
  return [...byCode.values()].sort((a, b) => (a.account.code < b.account.code ? -1 : 1));
}
