import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { CanonicalBankNotification } from '@cashless/contracts';
import { ApiError, type AppLogger, type FieldError } from '@cashless/observability';
import { LOGGER } from '@cashless/platform';
import { preparePayment, type PayInput, type PreparedPayment } from '../bank/pay';
import type { ScanError, ScannedTransfer } from '../bank/scan-qr';
import { BANK_SIM_CONFIG, type BankSimConfig } from '../config';
import {
  DEFAULT_RETRY,
  deliverBatch,
  deliverNotification,
  type Delivery,
  type DeliveryTarget,
} from '../delivery/delivery';
import { createHttpSender, type HttpSender } from '../delivery/sender';
import { intentCreator } from '../load/intents';
import { DEFAULT_AMOUNTS, LoadRun, unpayablePayloads, type LoadReport } from '../load/load-run';
import type { BatchRequest, LoadRequest, PayRequest } from './sim-requests';

export interface PaidView {
  notification: CanonicalBankNotification;
  transfer: ScannedTransfer;
  deliveries: Delivery[];
}

export interface ScheduledView {
  notification: CanonicalBankNotification;
  transfer: ScannedTransfer;
  scheduledFor: string;
}

export interface BatchView {
  results: PaidView[];
  /** The indexes of `results` in the order they were delivered. */
  deliveryOrder: number[];
}

export interface LoadRunView extends LoadReport {
  id: string;
  startedAt: string;
}

/** Finished load runs kept for `GET /sim/load/:id`. */
const KEPT_LOAD_RUNS = 20;

function rejected(error: ScanError): ApiError {
  return new ApiError(400, error.code, error.reason, error.details ? { decoder: error.details } : undefined);
}

/**
 * The sandbox bank behind `/sim`: pays QRs like a shopper's bank app and delivers the signed
 * notifications like the shop's account feed, optionally late, twice or out of order, and runs
 * load against the platform.
 */
@Injectable()
export class SandboxBankService implements OnModuleDestroy {
  private readonly sender: HttpSender = createHttpSender();
  private readonly target: DeliveryTarget;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly loads = new Map<string, { run: LoadRun; startedAt: string; sender: HttpSender }>();

  constructor(
    @Inject(BANK_SIM_CONFIG) private readonly config: BankSimConfig,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {
    this.target = { gatewayUrl: config.GATEWAY_URL, secret: config.BANK_WEBHOOK_SECRET, send: this.sender.send };
  }

  async pay(request: PayRequest): Promise<PaidView | ScheduledView> {
    const payment = this.prepare(request);
    const options = { duplicates: request.duplicates, concurrent: request.concurrent, retry: DEFAULT_RETRY };
    if (request.delayMs === undefined) {
      return { ...payment, deliveries: await deliverNotification(payment.notification, this.target, options) };
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void deliverNotification(payment.notification, this.target, options).then((deliveries) =>
        this.logger.info(
          { id: payment.notification.id, statuses: deliveries.map((d) => d.status) },
          'delayed notification delivered',
        ),
      );
    }, request.delayMs);
    this.timers.add(timer);
    return { ...payment, scheduledFor: new Date(Date.now() + request.delayMs).toISOString() };
  }

  async payBatch(request: BatchRequest): Promise<BatchView> {
    // Every QR is checked before anything is sent: a bad one refuses the whole batch.
    const prepared: PreparedPayment[] = [];
    const problems: FieldError[] = [];
    request.payments.forEach((input, index) => {
      const result = preparePayment(input, { cardTransfers: this.config.BANK_SIM_CARD_TRANSFERS });
      if (result.ok) prepared.push(result.payment);
      else problems.push({ field: `payments[${index}].payload`, message: result.error.reason });
    });
    if (problems.length > 0) throw ApiError.validation(problems);
    const { order, deliveries } = await deliverBatch(
      prepared.map((p, i) => ({
        notification: p.notification,
        duplicates: request.payments[i].duplicates,
        concurrent: request.payments[i].concurrent,
      })),
      this.target,
      { reorder: request.reorder, retry: DEFAULT_RETRY },
    );
    return { results: prepared.map((p, i) => ({ ...p, deliveries: deliveries[i] })), deliveryOrder: order };
  }

  startLoad(request: LoadRequest): LoadRunView {
    if ([...this.loads.values()].some((l) => l.run.report().status === 'running')) {
      throw new ApiError(409, 'load_running', {
        vi: 'Đang có một lượt tải khác chạy; chờ nó kết thúc',
        en: 'Another load run is in progress; wait for it to finish',
      });
    }
    const merchants = request.merchants ?? [];
    const payloads = [...(request.payloads ?? []), ...merchants.flatMap((m) => (m.payload ? [m.payload] : []))];
    const unpayable = unpayablePayloads(payloads, this.config.BANK_SIM_CARD_TRANSFERS);
    if (unpayable.length > 0) {
      const own = request.payloads?.length ?? 0;
      throw ApiError.validation(
        unpayable.map(({ index, error }) => ({
          field: index < own ? `payloads[${index}]` : 'merchants[].payload',
          message: error.reason,
        })),
      );
    }
    // Its own connections, as many as it may have in flight: a run does not starve /sim/pay.
    const sender = createHttpSender({ maxSockets: request.maxInFlight });
    const amounts = request.amounts ?? DEFAULT_AMOUNTS;
    const run = new LoadRun({
      ratePerSecond: request.ratePerSecond,
      durationSeconds: request.durationSeconds,
      payloads,
      createDynamicPayload:
        merchants.length > 0
          ? intentCreator({ gatewayUrl: this.config.GATEWAY_URL, send: sender.send, merchants, amounts })
          : undefined,
      dynamicShare: request.dynamicShare ?? (payloads.length === 0 ? 1 : 0),
      target: { ...this.target, send: sender.send },
      maxInFlight: request.maxInFlight,
      duplicateShare: request.duplicateShare,
      reorderWindow: request.reorderWindow,
      amounts,
      cardTransfers: this.config.BANK_SIM_CARD_TRANSFERS,
    }).start();
    const id = randomUUID();
    const startedAt = new Date().toISOString();
    this.loads.set(id, { run, startedAt, sender });
    void run.done.then((report) => {
      sender.close();
      this.logger.info({ loadRun: id, ...report }, 'load run finished');
    });
    this.forgetOldRuns();
    return { id, startedAt, ...run.report() };
  }

  loadRun(id: string): LoadRunView {
    const entry = this.loads.get(id);
    if (entry === undefined) throw ApiError.notFound({ vi: 'Không tìm thấy lượt tải', en: 'Load run not found' });
    return { id, startedAt: entry.startedAt, ...entry.run.report() };
  }

  stopLoad(id: string): LoadRunView {
    this.loads.get(id)?.run.stop();
    return this.loadRun(id);
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const { run } of this.loads.values()) run.stop();
    for (const { sender } of this.loads.values()) sender.close();
    this.sender.close();
  }

  private prepare(input: PayInput): PreparedPayment {
    const result = preparePayment(input, { cardTransfers: this.config.BANK_SIM_CARD_TRANSFERS });
    if (!result.ok) throw rejected(result.error);
    return result.payment;
  }

  private forgetOldRuns(): void {
    const finished = [...this.loads.entries()].filter(([, l]) => l.run.report().status !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEPT_LOAD_RUNS))) this.loads.delete(id);
  }
}
