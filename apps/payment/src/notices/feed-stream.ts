import type { FeedNotice, FeedSink } from './feed-hub';
import { sseComment, sseEvent, sseRetry } from './sse';

/** The part of a `ServerResponse` a feed stream writes to (a fake in unit specs). */
export interface StreamTarget {
  write(chunk: string): boolean;
  end(): void;
  readonly writableLength: number;
}

/** A client that reads slower than this much is cut off; EventSource reconnects and resumes from the database. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** Ids kept to skip a notice that arrives both live and from a catch-up query. */
const REMEMBERED_IDS = 1_000;

export const FEED_EVENT = 'payment';

/**
 * One shop owner's open live feed. New payments arrive live (`deliver`); gaps (a resumed
 * connection, a lost LISTEN connection) are filled by `catchUp` from the database. While a catch-up
 * runs, live notices wait behind it so the page sees them in order and each at most once.
 */
export class FeedStream implements FeedSink {
  /** The highest event id this connection has seen or was resumed from: catch-ups start after it. */
  cursor = 0n;
  private held: FeedNotice[] | undefined = [];
  private readonly sent = new Set<bigint>();
  private catchUps: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly merchantId: string,
    private readonly target: StreamTarget,
    private readonly onClose: (stream: FeedStream) => void,
    private readonly onSent: () => void = () => undefined,
  ) {}

  /** The opening lines: how long EventSource waits before reconnecting. Live notices are held until the first catch-up. */
  open(retryMs: number): void {
    this.write(sseRetry(retryMs));
  }

  deliver(item: FeedNotice): void {
    if (this.closed) return;
    if (this.held) this.held.push(item);
    else this.send(item);
  }

  /** Sends what `load` finds after the cursor, then whatever arrived live meanwhile. Serialised per stream. */
  catchUp(load: (after: bigint) => Promise<FeedNotice[]>): Promise<void> {
    const run = this.catchUps.then(async () => {
      if (this.closed) return;
      this.held ??= [];
      try {
        const found = await load(this.cursor);
        for (const item of found.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))) this.send(item);
      } finally {
        const held = this.held ?? [];
        this.held = undefined;
        for (const item of held) this.send(item);
      }
    });
    // A failed catch-up must not block the next one; the caller hears of the failure.
    this.catchUps = run.catch(() => undefined);
    return run;
  }

  heartbeat(): void {
    if (!this.closed) this.write(sseComment('keep-alive'));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = undefined;
    this.target.end();
    this.onClose(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private send(item: FeedNotice): void {
    if (this.closed || this.sent.has(item.seq)) return;
    this.sent.add(item.seq);
    if (this.sent.size > REMEMBERED_IDS) this.sent.delete(this.sent.values().next().value as bigint);
    if (item.seq > this.cursor) this.cursor = item.seq;
    this.write(sseEvent({ id: String(item.seq), event: FEED_EVENT, data: item.notice }));
    this.onSent();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.target.write(chunk);
    if (this.target.writableLength > MAX_UNREAD_BYTES) this.close();
  }
}
