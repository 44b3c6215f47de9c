import type { EventEnvelope } from '@cashless/contracts';
import { planBatch } from './batch-plan';
import type { BatchPlan } from './batch-plan';
import type { ChainHead, ChainLink } from './hash-chain';
import { postingFor } from './posting-rules';
import type { ProposedTransaction } from './transaction';

export interface Totals {
  debits: bigint;
  credits: bigint;
}

/**
 * The journal's rules without a database: the same planning the PostgreSQL repository does
 * (posting keys, chains per lane, balance buckets per lane), kept in maps. Specs use it as the
 * model a real run must agree with; it is also the reference for replays.
 */
export class MemoryLedger {
  readonly links: ChainLink[] = [];
  /** Balance buckets: lane → account code → totals (summed on read, as the database does). */
  private readonly buckets = new Map<string, Map<string, Totals>>();
  private readonly heads = new Map<string, ChainHead>();
  private readonly postedKeys = new Set<string>();

  /** Posts a batch of events for one lane, all or nothing. */
  postEvents(lane: string, envelopes: EventEnvelope[]): BatchPlan {
    const proposals = envelopes.map(postingFor).filter((t): t is ProposedTransaction => t !== null);
    return this.post(lane, proposals);
  }

  post(lane: string, proposals: ProposedTransaction[]): BatchPlan {
    const plan = planBatch(proposals, {
      chainId: lane,
      head: this.heads.get(lane) ?? null,
      postedKeys: this.postedKeys,
    });
    // Nothing above mutates state: a batch that throws before this line leaves no trace.
    for (const link of plan.links) {
      this.links.push(link);
      this.postedKeys.add(link.postingKey);
      this.heads.set(lane, { chainSeq: link.chainSeq, hash: link.hash });
    }
    let bucket = this.buckets.get(lane);
    if (!bucket) this.buckets.set(lane, (bucket = new Map()));
    for (const delta of plan.deltas) {
      const totals = bucket.get(delta.account.code) ?? { debits: 0n, credits: 0n };
      bucket.set(delta.account.code, { debits: totals.debits + delta.debits, credits: totals.credits + delta.credits });
    }
    return plan;
  }

  /** Account totals: the sum of the lanes' buckets. */
  balances(): Map<string, Totals> {
    const sums = new Map<string, Totals>();
    for (const bucket of this.buckets.values()) {
      for (const [code, t] of bucket) {
        const s = sums.get(code) ?? { debits: 0n, credits: 0n };
        sums.set(code, { debits: s.debits + t.debits, credits: s.credits + t.credits });
      }
    }
    return sums;
  }

  /** Account totals recomputed from the journal's entries alone. */
  entryTotals(): Map<string, Totals> {
    const sums = new Map<string, Totals>();
    for (const link of this.links) {
      for (const e of link.entries) {
        const s = sums.get(e.accountCode) ?? { debits: 0n, credits: 0n };
        if (e.side === 'debit') s.debits += e.amount;
        else s.credits += e.amount;
        sums.set(e.accountCode, s);
      }
    }
    return sums;
  }

  chainHeads(): Map<string, ChainHead> {
    return new Map(this.heads);
  }
}
