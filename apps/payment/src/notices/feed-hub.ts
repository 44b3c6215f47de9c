import type { PaymentNotice } from './payment-notice';

/** One announced payment as the feed carries it: `seq` is its SSE event id (merchant_notice.seq). */
export interface FeedNotice {
  seq: bigint;
  notice: PaymentNotice;
}

/** An open feed connection of one merchant. */
export interface FeedSink {
  readonly merchantId: string;
  deliver(notice: FeedNotice): void;
}

/**
 * The feed connections open on this process, by merchant. Every instance hears every payment (one
 * LISTEN per instance) and hands it only to its own connections of that merchant. Capped per
 * merchant: a shop has a few screens, not hundreds, and each connection holds a socket.
 */
export class FeedHub<S extends FeedSink = FeedSink> {
  private readonly byMerchant = new Map<string, Set<S>>();
  private count = 0;

  constructor(readonly maxPerMerchant: number) {}

  /** False when the merchant already has `maxPerMerchant` connections here. */
  add(sink: S): boolean {
    let sinks = this.byMerchant.get(sink.merchantId);
    if (!sinks) {
      sinks = new Set();
      this.byMerchant.set(sink.merchantId, sinks);
    }
    if (sinks.has(sink)) return true;
    if (sinks.size >= this.maxPerMerchant) return false;
    sinks.add(sink);
    this.count++;
    return true;
  }

  remove(sink: S): void {
    const sinks = this.byMerchant.get(sink.merchantId);
    if (!sinks?.delete(sink)) return;
    this.count--;
    if (sinks.size === 0) this.byMerchant.delete(sink.merchantId);
  }

  /** Hands the notice to each connection of the merchant; returns how many there were. */
  publish(merchantId: string, notice: FeedNotice): number {
    const sinks = this.byMerchant.get(merchantId);
    if (!sinks) return 0;
    const targets = [...sinks];
    for (const sink of targets) sink.deliver(notice);
    return targets.length;
  }

  connectionsOf(merchantId: string): number {
    return this.byMerchant.get(merchantId)?.size ?? 0;
  }

  get size(): number {
    return this.count;
  }

  all(): S[] {
    return [...this.byMerchant.values()].flatMap((sinks) => [...sinks]);
  }
}
