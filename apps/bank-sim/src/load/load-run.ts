import { preparePayment } from '../bank/pay';
import { scanQr, type ScanError } from '../bank/scan-qr';
import {
  deliverRaw,
  isAccepted,
  isDuplicateAnswer,
  shuffledOrder,
  type Delivery,
  type DeliveryTarget,
  type RetryPolicy,
} from '../delivery/delivery';
import { summarizeLatencies, type LatencySummary } from './latency';

/** Amounts paid to QRs without one: whole thousands of đồng, like street purchases. */
export interface AmountRange {
  min: number;
  max: number;
}

export const DEFAULT_AMOUNTS: AmountRange = { min: 10_000, max: 500_000 };

export function randomAmount(range: AmountRange, random: () => number): number {
  const steps = Math.floor((range.max - range.min) / 1000);
  return range.min + 1000 * Math.floor(random() * (steps + 1));
}

export interface LoadOptions {
  ratePerSecond: number;
  durationSeconds: number;
  /** QRs paid in turn (shop boards, or any dynamic QR: paid as often as it comes up). */
  payloads?: readonly string[];
  /** Creates a dynamic payment intent and returns its QR (its time is not in the latency). */
  createDynamicPayload?: (sequence: number) => Promise<string>;
  /** Share of sends that pay a fresh dynamic QR, 0–1; needs `createDynamicPayload`. */
  dynamicShare?: number;
  target: DeliveryTarget;
  /** Sends (intent creation included) pending at once; a send due beyond it is skipped. */
  maxInFlight?: number;
  amounts?: AmountRange;
  /** A benchmark wants raw answers: one try by default. */
  retry?: RetryPolicy;
  cardTransfers?: boolean;
  /**
   * Share of notifications the feed delivers twice, 0–1 (feeds deliver at least once): every
   * other one of them both copies at once (racing each other), the rest the copy after the answer.
   */
  duplicateShare?: number;
  /**
   * Feeds do not promise order: notifications are held in groups of this many (≥ 2) and sent in
   * a shuffled order, so transfer times arrive out of order. A group waits at most 200 ms to fill.
   */
  reorderWindow?: number;
  /** Told of every send's final answer: what a fault test needs to know which ones were acknowledged. */
  onDelivery?: (record: DeliveryRecord) => void;
  random?: () => number;
  now?: () => number;
}

/** One send of a load run and the platform's final answer to it (after retries). */
export interface DeliveryRecord {
  sequence: number;
  /** The feed's transaction id (`id` of the canonical notification). */
  notificationId: string;
  /** A deliberate second copy (`duplicateShare`). */
  resend: boolean;
  /** Wall-clock time of the first try, epoch milliseconds. */
  sentAt: number;
  delivery: Delivery;
}

export type LoadStatus = 'running' | 'done' | 'stopped';

export interface LoadReport {
  status: LoadStatus;
  ratePerSecond: number;
  durationSeconds: number;
  /** Sends due so far by the schedule. */
  scheduled: number;
  /** Notifications posted. */
  sent: number;
  /** Answered 2xx as new. */
  accepted: number;
  /** Answered 2xx as a duplicate. */
  duplicates: number;
  /** Answered 4xx. */
  rejected: number;
  /** 5xx, no answer, or a send that could not be prepared. */
  errors: number;
  /** Due while `maxInFlight` sends were pending: the generator could not keep the rate. */
  skipped: number;
  /** Deliberate second copies sent (`duplicateShare`); their answers are counted above too. */
  resent: number;
  inFlight: number;
  intents: { created: number; failed: number };
  elapsedSeconds: number;
  achievedRatePerSecond: number;
  /** Time from posting a notification to the platform's answer. */
  latencyMs: LatencySummary | null;
}

/** A payload the load run cannot pay, with the bank app's reason. */
export interface UnpayablePayload {
  index: number;
  error: ScanError;
}

/** QRs a load run can pay: the scan may only lack an amount (the run supplies one). */
export function unpayablePayloads(payloads: readonly string[], cardTransfers?: boolean): UnpayablePayload[] {
  const out: UnpayablePayload[] = [];
  payloads.forEach((payload, index) => {
    const scanned = scanQr(payload, { cardTransfers });
    if (!scanned.ok && !needsAmount(scanned.error)) out.push({ index, error: scanned.error });
  });
  return out;
}

function needsAmount(error: ScanError): boolean {
  return error.code === 'amount_required' || error.code === 'dynamic_amount_missing';
}

/**
 * An open-loop load generator: send i is due at `i / ratePerSecond` whatever the answers, on a
 * timer, so a slow platform shows up as latency and skipped sends, not as a quietly lower rate
 * (the trap of closed-loop clients). Stops scheduling after the duration, then waits for the
 * pending answers.
 */
export class LoadRun {
  readonly done: Promise<LoadReport>;
  private readonly total: number;
  private readonly maxInFlight: number;
  private readonly random: () => number;
  private readonly clock: () => number;
  /** Per payload: whether the QR lacks an amount. */
  private readonly payloadNeedsAmount: boolean[];
  private readonly latencies: number[] = [];
  private readonly pending = new Set<Promise<void>>();
  private status: LoadStatus = 'running';
  private startedAt = 0;
  private schedulingEndedAt: number | null = null;
  private endedAt: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private finish!: () => void;
  private counts = {
    scheduled: 0,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    errors: 0,
    skipped: 0,
    resent: 0,
  };
  /** Prepared sends held back for a shuffled release (`reorderWindow`). */
  private held: { release: () => void; at: number }[] = [];
  private intents = { created: 0, failed: 0 };

  constructor(private readonly options: LoadOptions) {
    if (!(options.ratePerSecond > 0) || !(options.durationSeconds > 0)) {
      throw new RangeError('a load run needs a positive rate and duration');
    }
    const payloads = options.payloads ?? [];
    const share = options.dynamicShare ?? 0;
    if (share < 0 || share > 1) throw new RangeError('dynamicShare is a fraction from 0 to 1');
    if (share > 0 && !options.createDynamicPayload) throw new RangeError('dynamicShare needs createDynamicPayload');
    if (share < 1 && payloads.length === 0) throw new RangeError('static sends need payloads (or dynamicShare 1)');
    const duplicateShare = options.duplicateShare ?? 0;
    if (duplicateShare < 0 || duplicateShare > 1) throw new RangeError('duplicateShare is a fraction from 0 to 1');
    if (
      options.reorderWindow !== undefined &&
      !(Number.isInteger(options.reorderWindow) && options.reorderWindow >= 2)
    ) {
      throw new RangeError('reorderWindow is a whole number ≥ 2');
    }
    const unpayable = unpayablePayloads(payloads, options.cardTransfers);
    if (unpayable.length > 0) {
      throw new RangeError(`payload ${unpayable[0].index} cannot be paid: ${unpayable[0].error.reason.en}`);
    }
    this.payloadNeedsAmount = payloads.map((p) => !scanQr(p, { cardTransfers: options.cardTransfers }).ok);
    this.total = Math.max(1, Math.round(options.ratePerSecond * options.durationSeconds));
    this.maxInFlight = options.maxInFlight ?? 256;
    this.random = options.random ?? Math.random;
    this.clock = options.now ?? (() => performance.now());
    this.done = new Promise<void>((resolve) => (this.finish = resolve)).then(() => this.report());
  }

  start(): this {
    this.startedAt = this.clock();
    // Ticks at least every 20 ms; each launches every send that has fallen due.
    const tickMs = Math.max(1, Math.min(20, Math.floor(1000 / this.options.ratePerSecond)));
    this.tick();
    if (this.schedulingEndedAt === null) this.timer = setInterval(() => this.tick(), tickMs);
    return this;
  }

  /** Stops scheduling now; pending sends still finish. */
  stop(): void {
    if (this.schedulingEndedAt !== null) return;
    this.status = 'stopped';
    this.endScheduling();
  }

  report(): LoadReport {
    const now = this.endedAt ?? this.clock();
    const elapsed = (now - this.startedAt) / 1000;
    const window =
      this.schedulingEndedAt === null
        ? elapsed
        : this.status === 'done'
          ? Math.max((this.schedulingEndedAt - this.startedAt) / 1000, this.options.durationSeconds)
          : (this.schedulingEndedAt - this.startedAt) / 1000;
    return {
      status: this.endedAt === null ? 'running' : this.status,
      ratePerSecond: this.options.ratePerSecond,
      durationSeconds: this.options.durationSeconds,
      ...this.counts,
      inFlight: this.pending.size,
      intents: { ...this.intents },
      elapsedSeconds: Math.round(elapsed * 1000) / 1000,
      achievedRatePerSecond: window > 0 ? Math.round((this.counts.sent / window) * 10) / 10 : 0,
      latencyMs: summarizeLatencies(this.latencies),
    };
  }

  private tick(): void {
    // A group that has waited long enough goes out unfilled (low rates, the end of a run).
    if (this.held.length > 0 && this.clock() - this.held[0].at >= 200) this.releaseHeld();
    const elapsedMs = this.clock() - this.startedAt;
    const due = Math.min(this.total, Math.floor((elapsedMs * this.options.ratePerSecond) / 1000) + 1);
    while (this.counts.scheduled < due) {
      const sequence = this.counts.scheduled++;
      if (this.pending.size >= this.maxInFlight) {
        this.counts.skipped++;
        continue;
      }
      const send = this.sendOne(sequence)
        .catch(() => void this.counts.errors++)
        .finally(() => this.pending.delete(send));
      this.pending.add(send);
    }
    if (this.counts.scheduled >= this.total) {
      this.status = 'done';
      this.endScheduling();
    }
  }

  private endScheduling(): void {
    clearInterval(this.timer);
    this.schedulingEndedAt = this.clock();
    this.releaseHeld();
    void this.drain();
  }

  /** Lets the held group go, in a shuffled order. */
  private releaseHeld(): void {
    const group = this.held;
    this.held = [];
    for (const index of shuffledOrder(group.length, this.random)) group[index].release();
  }

  /** Resolves when this send's group is released (at once without `reorderWindow`). */
  private async waitTurn(): Promise<void> {
    const window = this.options.reorderWindow;
    if (window === undefined) return;
    const turn = new Promise<void>((release) => this.held.push({ release, at: this.clock() }));
    if (this.held.length >= window || this.schedulingEndedAt !== null) this.releaseHeld();
    await turn;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    this.endedAt = this.clock();
    this.finish();
  }

  private async sendOne(sequence: number): Promise<void> {
    const payloads = this.options.payloads ?? [];
    const dynamic =
      this.options.createDynamicPayload !== undefined &&
      (payloads.length === 0 || this.random() < (this.options.dynamicShare ?? 0));
    let payload: string;
    let amount: number | undefined;
    if (dynamic) {
      try {
        payload = await this.options.createDynamicPayload!(sequence);
        this.intents.created++;
      } catch {
        this.intents.failed++;
        this.counts.errors++;
        return;
      }
    } else {
      // Round robin spreads the sends evenly over the shops.
      const index = sequence % payloads.length;
      payload = payloads[index];
      if (this.payloadNeedsAmount[index]) amount = randomAmount(this.options.amounts ?? DEFAULT_AMOUNTS, this.random);
    }
    const prepared = preparePayment(
      { payload, amount, payerAccount: String(1_000_000_000 + sequence) },
      { cardTransfers: this.options.cardTransfers, random: this.random },
    );
    if (!prepared.ok) {
      this.counts.errors++;
      return;
    }
    await this.waitTurn();
    const raw = JSON.stringify(prepared.payment.notification);
    const notificationId = prepared.payment.notification.id;
    const share = this.options.duplicateShare ?? 0;
    const twice = share > 0 && this.random() < share;
    this.counts.sent++;
    if (twice && sequence % 2 === 0) {
      // Both copies at once: the platform's dedupe must hold under a race, not only in turn.
      await Promise.all([
        this.deliver(raw, notificationId, sequence, false),
        this.deliver(raw, notificationId, sequence, true),
      ]);
    } else {
      await this.deliver(raw, notificationId, sequence, false);
      if (twice) await this.deliver(raw, notificationId, sequence, true);
    }
  }

  private async deliver(raw: string, notificationId: string, sequence: number, resend: boolean): Promise<void> {
    if (resend) this.counts.resent++;
    const sentAt = Date.now();
    const delivery = await deliverRaw(raw, this.options.target, {
      retry: this.options.retry ?? { attempts: 1, backoffMs: 0 },
    });
    this.options.onDelivery?.({ sequence, notificationId, resend, sentAt, delivery });
    if (delivery.status === null || delivery.status >= 500) {
      this.counts.errors++;
      return;
    }
    this.latencies.push(delivery.ms);
    if (!isAccepted(delivery)) this.counts.rejected++;
    else if (isDuplicateAnswer(delivery.body)) this.counts.duplicates++;
    else this.counts.accepted++;
  }
}

export function startLoad(options: LoadOptions): LoadRun {
  return new LoadRun(options).start();
}
