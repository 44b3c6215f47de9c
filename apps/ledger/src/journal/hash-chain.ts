import { createHash } from 'node:crypto';
import type { EntrySide } from '@cashless/contracts';
import { transactionId } from './accounts';
import type { ProposedTransaction } from './transaction';

/**
 * Tamper evidence: each transaction's hash is SHA-256 over the previous transaction's hash in the
 * same chain and the canonical serialisation of the transaction with its entries. Changing,
 * inserting or deleting a committed row breaks the link at that row and every later one.
 *
 * There is not one chain but one per posting lane (a Kafka partition of the source topic, or the
 * ledger's own API): each lane is written by one consumer at a time, so appending to its chain
 * needs no lock shared with the other lanes. `postedAt` is not hashed: it is the writer's clock,
 * and replaying the same history must reproduce the same chains.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The lane (and chain) of events consumed from one Kafka partition. */
export function kafkaLane(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}

/** The lane of transactions recorded through the ledger's own HTTP API (refunds). */
export const API_LANE = 'api';

/**
 * A transaction at its place in a chain, as stored and as hashed: everything that says what
 * moved, where, why and when, with the source flattened and entries by account code.
 */
export interface ChainLink extends Omit<ProposedTransaction, 'source' | 'entries'> {
  id: string;
  chainId: string;
  chainSeq: number;
  sourceEventId: string | null;
  sourceEventType: string | null;
  refundId: string | null;
  entries: { accountCode: string; side: EntrySide; amount: bigint }[];
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  chainSeq: number;
  hash: string;
}

/** Stable text of a link's content: a JSON array in a fixed field order, memo keys sorted. */
export function canonicalLink(link: Omit<ChainLink, 'prevHash' | 'hash'>): string {
  const memo = Object.keys(link.memo)
    .sort()
    .map((k) => [k, link.memo[k]]);
  return JSON.stringify([
    'ledger-transaction/1',
    link.chainId,
    link.chainSeq,
    link.id,
    link.postingKey,
    link.rule,
    link.sourceEventId,
    link.sourceEventType,
    link.refundId,
    link.merchantId,
    link.channel,
    link.paymentId,
    link.notificationId,
    link.effectiveAt,
    memo,
    link.entries.map((e) => [e.accountCode, e.side, e.amount.toString()]),
  ]);
}

export function linkHash(prevHash: string, link: Omit<ChainLink, 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalLink(link)).digest('hex');
}

/** Places transactions at the end of a chain, in the order given. */
export function appendToChain(chainId: string, head: ChainHead | null, txs: ProposedTransaction[]): ChainLink[] {
  let seq = head?.chainSeq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return txs.map((tx) => {
    seq += 1;
    const content = {
      id: transactionId(tx.postingKey),
      chainId,
      chainSeq: seq,
      postingKey: tx.postingKey,
      rule: tx.rule,
      sourceEventId: 'eventId' in tx.source ? tx.source.eventId : null,
      sourceEventType: 'eventType' in tx.source ? tx.source.eventType : null,
      refundId: 'refundId' in tx.source ? tx.source.refundId : null,
      merchantId: tx.merchantId,
      channel: tx.channel,
      paymentId: tx.paymentId,
      notificationId: tx.notificationId,
      effectiveAt: tx.effectiveAt,
      memo: tx.memo,
      entries: tx.entries.map((e) => ({ accountCode: e.account.code, side: e.side, amount: e.amount })),
    };
    const link = { ...content, prevHash, hash: linkHash(prevHash, content) };
    prevHash = link.hash;
    return link;
  });
}

export type BrokenLinkProblem =
  | 'sequence gap (a transaction is missing or was inserted)'
  | 'previous hash does not match the preceding transaction'
  | 'content does not match its hash (altered)'
  | 'transaction id does not match its posting key'
  | 'debits do not equal credits';

export interface BrokenLink {
  chainId: string;
  chainSeq: number;
  transactionId: string;
  postingKey: string;
  problem: BrokenLinkProblem;
}

export type ChainVerification =
  { ok: true; checked: number; chains: number } | { ok: false; checked: number; chains: number; broken: BrokenLink };

/**
 * Checks links streamed in (chainId, chainSeq) order, chain after chain; stops at the first broken
 * one. Feed it with `check(link)` (false once broken), then read `result()`.
 */
export class ChainVerifier {
  private checked = 0;
  private chains = 0;
  private chainId: string | null = null;
  private previous: ChainHead = { chainSeq: 0, hash: GENESIS_HASH };
  private broken: BrokenLink | null = null;

  check(link: ChainLink): boolean {
    if (this.broken) return false;
    if (link.chainId !== this.chainId) {
      this.chainId = link.chainId;
      this.chains += 1;
      this.previous = { chainSeq: 0, hash: GENESIS_HASH };
    }
    const problem = this.problemOf(link);
    if (problem) {
      this.broken = {
        chainId: link.chainId,
        chainSeq: link.chainSeq,
        transactionId: link.id,
        postingKey: link.postingKey,
        problem,
      };
      return false;
    }
    this.checked += 1;
    this.previous = { chainSeq: link.chainSeq, hash: link.hash };
    return true;
  }

  result(): ChainVerification {
    const { checked, chains } = this;
    return this.broken ? { ok: false, checked, chains, broken: this.broken } : { ok: true, checked, chains };
  }

  private problemOf(link: ChainLink): BrokenLinkProblem | null {
    if (link.chainSeq !== this.previous.chainSeq + 1) return 'sequence gap (a transaction is missing or was inserted)';
    if (link.prevHash !== this.previous.hash) return 'previous hash does not match the preceding transaction';
    if (linkHash(link.prevHash, link) !== link.hash) return 'content does not match its hash (altered)';
    if (link.id !== transactionId(link.postingKey)) return 'transaction id does not match its posting key';
    let net = 0n;
    for (const e of link.entries) net += e.side === 'debit' ? e.amount : -e.amount;
    if (net !== 0n || link.entries.some((e) => e.amount <= 0n)) return 'debits do not equal credits';
    return null;
  }
}

/** Verifies whole chains held in memory (links in any order). */
export function verifyChains(links: Iterable<ChainLink>): ChainVerification {
  const sorted = [...links].sort((a, b) =>
    a.chainId === b.chainId ? a.chainSeq - b.chainSeq : a.chainId < b.chainId ? -1 : 1,
  );
  const verifier = new ChainVerifier();
  for (const link of sorted) if (!verifier.check(link)) break;
  return verifier.result();
}
