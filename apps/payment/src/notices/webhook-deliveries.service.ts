import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentRecordedData } from '@cashless/contracts';
import { ApiError } from '@cashless/observability';
import type { AppLogger } from '@cashless/observability';
import { LOGGER } from '@cashless/platform';
import { afterAttempt } from './delivery-schedule';
import type { DeliveryState } from './delivery-schedule';
import { NoticeMetrics } from './notice-metrics';
import { NOTICE_OPTIONS } from './notice-options';
import type { NoticeOptions } from './notice-options';
import { WebhookEndpoints, signingSecrets, webhookNotConfigured } from './webhook-endpoints.service';
import { WebhookEventTypes, paymentRecordedBody, testEventBody, webhookSignatureHeader } from './webhook-event';
import { isSuccessStatus, postJson } from './webhook-http';
import type { PostOutcome } from './webhook-http';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'canceled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryView {
  id: string;
  eventType: string;
  paymentId: string | null;
  status: DeliveryStatus;
  attemptCount: number;
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: string | null;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface AttemptView {
  attemptedAt: string;
  url: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  response: string | null;
}

export interface DeliveryDetail extends DeliveryView {
  /** The event exactly as it is sent. */
  payload: unknown;
  attempts: AttemptView[];
}

export interface DeliveryPage {
  data: DeliveryView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

interface DeliveryRow {
  id: string;
  merchant_id: string;
  event_type: string;
  payment_id: string | null;
  body: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date;
  claim_token: string | null;
  first_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** A delivery taken by this worker, with its endpoint as it is now (null when there is none). */
interface ClaimedRow extends DeliveryRow {
  url: string | null;
  enabled: boolean | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

interface AttemptRow {
  attempted_at: Date;
  url: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response: string | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    eventType: row.event_type,
    paymentId: row.payment_id,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    firstAttemptAt: iso(row.first_attempt_at),
    lastAttemptAt: iso(row.last_attempt_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
    createdAt: row.created_at.toISOString(),
  };
}

const attemptView = (row: AttemptRow): AttemptView => ({
  attemptedAt: row.attempted_at.toISOString(),
  url: row.url,
  statusCode: row.status_code,
  error: row.error,
  durationMs: row.duration_ms,
  response: row.response,
});

export const deliveryNotFound = () =>
  ApiError.notFound({ vi: 'Không tìm thấy lần gửi webhook này', en: 'Webhook delivery not found' });

const webhookDisabled = () =>
  new ApiError(409, 'webhook_disabled', {
    vi: 'Webhook của cửa hàng đang tắt; hãy bật lại trước khi gửi',
    en: 'The merchant webhook is disabled; enable it before sending',
  });

/** Rounds of claiming per `deliverDue` call, so one tick stays bounded under a backlog. */
const MAX_ROUNDS_PER_CALL = 10;

const CLAIMED_COLUMNS = `d.*, w.url, w.enabled, w.secret, w.previous_secret, w.previous_secret_expires_at`;

/**
 * Merchant webhook deliveries: queued in the transaction that records a payment (outbox style),
 * sent by workers that claim due rows with `FOR UPDATE SKIP LOCKED` (any number of instances),
 * signed like the canonical bank notification, retried on the schedule of delivery-schedule.ts,
 * every attempt logged.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpoints,
    @Inject(NOTICE_OPTIONS) private readonly options: NoticeOptions,
    @Inject(LOGGER) private readonly logger: AppLogger,
    private readonly metrics: NoticeMetrics,
  ) {}

  /**
   * For the recording transaction: a statement fragment (a data-modifying CTE named `delivery`)
   * that queues the payment's delivery when the merchant's webhook is on, and only when the CTE
   * named `gate` yields a row (the notice was new). Parameters start at `$first`.
   */
  paymentDeliveryCte(
    payment: PaymentRecordedData,
    first: number,
    now = new Date(),
  ): { sql: string; params: unknown[] } {
    const id = uuidv7();
    const [pId, pMerchant, pType, pPayment, pBody, pNow] = [0, 1, 2, 3, 4, 5].map((i) => `$${first + i}`);
    return {
      sql: `delivery AS (
         INSERT INTO webhook_delivery (id, merchant_id, event_type, payment_id, body, status, next_attempt_at,
                                       created_at, updated_at)
         SELECT ${pId}::uuid, w.merchant_id, ${pType}, ${pPayment}::uuid, ${pBody}, 'pending', ${pNow}::timestamptz,
                ${pNow}::timestamptz, ${pNow}::timestamptz
         FROM merchant_webhook w, gate WHERE w.merchant_id = ${pMerchant}::uuid AND w.enabled
         RETURNING id)`,
      params: [
        id,
        payment.merchantId,
        WebhookEventTypes.paymentRecorded,
        payment.paymentId,
        paymentRecordedBody(id, payment, now),
        now,
      ],
    };
  }

  /**
   * Sends the deliveries due at `now` (tests pass a later `now` to move time on). Returns how many
   * were attempted.
   */
  async deliverDue(now = new Date()): Promise<number> {
    let attempted = 0;
    for (let round = 0; round < MAX_ROUNDS_PER_CALL; round++) {
      const claimed = await this.claimDue(now);
      await Promise.all(claimed.map((row) => this.attempt(row, now)));
      attempted += claimed.length;
      if (claimed.length < this.options.deliveryBatchSize) break;
    }
    return attempted;
  }

  /** Sends a signed `webhook.test` event right away (one attempt, no retries) and answers how it went. */
  async sendTest(merchantId: string, now = new Date()): Promise<DeliveryDetail> {
    const endpoint = await this.endpoints.deliveryEndpoint(merchantId);
    if (!endpoint) throw webhookNotConfigured();
    if (!endpoint.enabled) throw webhookDisabled();
    const id = uuidv7();
    // Inserted already claimed, so no worker sends it at the same time.
    const token = randomUUID();
    await this.dataSource.query(
      `INSERT INTO webhook_delivery (id, merchant_id, event_type, body, status, next_attempt_at, claim_token, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $7)`,
      [id, merchantId, WebhookEventTypes.test, testEventBody(id, merchantId, now), this.leaseEnd(now), token, now],
    );
    const [row] = (await this.dataSource.query(
      `SELECT ${CLAIMED_COLUMNS} FROM webhook_delivery d LEFT JOIN merchant_webhook w ON w.merchant_id = d.merchant_id
       WHERE d.id = $1`,
      [id],
    )) as ClaimedRow[];
    await this.attempt(row, now);
    return this.get(merchantId, id);
  }

  /** Schedules an immediate new attempt, whatever the delivery's status. */
  async redeliver(merchantId: string, deliveryId: string, now = new Date()): Promise<DeliveryView> {
    const endpoint = await this.endpoints.deliveryEndpoint(merchantId);
    if (!endpoint) throw deliveryNotFound();
    if (!endpoint.enabled) throw webhookDisabled();
    const rows = (await this.dataSource.query(
      `WITH scheduled AS (
         UPDATE webhook_delivery SET status = 'pending', next_attempt_at = $3, claim_token = NULL, updated_at = $3
         WHERE id = $1 AND merchant_id = $2 RETURNING *)
       SELECT * FROM scheduled`,
      [deliveryId, merchantId, now],
    )) as DeliveryRow[];
    if (!rows[0]) throw deliveryNotFound();
    return deliveryView(rows[0]);
  }

  /** Newest first; `cursor` is the last id of the previous page (ids are UUIDv7, time-ordered). */
  async list(
    merchantId: string,
    query: { status?: DeliveryStatus; cursor?: string; limit: number },
  ): Promise<DeliveryPage> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM webhook_delivery
       WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4`,
      [merchantId, query.status ?? null, query.cursor ?? null, query.limit + 1],
    )) as DeliveryRow[];
    const page = rows.slice(0, query.limit);
    return {
      data: page.map(deliveryView),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  async get(merchantId: string, deliveryId: string): Promise<DeliveryDetail> {
    const [row] = (await this.dataSource.query('SELECT * FROM webhook_delivery WHERE id = $1 AND merchant_id = $2', [
      deliveryId,
      merchantId,
    ])) as DeliveryRow[];
    if (!row) throw deliveryNotFound();
    const attempts = (await this.dataSource.query('SELECT * FROM webhook_attempt WHERE delivery_id = $1 ORDER BY id', [
      deliveryId,
    ])) as AttemptRow[];
    return { ...deliveryView(row), payload: JSON.parse(row.body) as unknown, attempts: attempts.map(attemptView) };
  }

  /** Deletes settled deliveries (and their attempts) past their retention. Returns how many. */
  async prune(now = new Date()): Promise<number> {
    const rows = (await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM webhook_delivery WHERE status IN ('delivered', 'failed', 'canceled') AND updated_at < $1 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [new Date(now.getTime() - this.options.deliveryRetentionMs)],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** A claim lasts as long as an attempt may: a worker that dies mid-attempt leaves the row due again after it. */
  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.options.deliveryTimeoutMs + 30_000);
  }

  private async claimDue(now: Date): Promise<ClaimedRow[]> {
    return (await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM webhook_delivery
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at LIMIT $2
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_delivery d SET claim_token = $3, next_attempt_at = $4
         FROM due WHERE d.id = due.id RETURNING d.*)
       SELECT ${CLAIMED_COLUMNS} FROM claimed d LEFT JOIN merchant_webhook w ON w.merchant_id = d.merchant_id`,
      [now, this.options.deliveryBatchSize, randomUUID(), this.leaseEnd(now)],
    )) as ClaimedRow[];
  }

  private async attempt(row: ClaimedRow, now: Date): Promise<void> {
    if (!row.url || !row.enabled || !row.secret) {
      // Turned off after it was queued: nothing is sent.
      await this.settle(row, now, undefined, { status: 'canceled' });
      return;
    }
    const secrets = signingSecrets({ ...row, secret: row.secret }, new Date());
    const headers = {
      'x-signature': webhookSignatureHeader(secrets, row.body, Math.floor(Date.now() / 1000)),
      'x-webhook-id': row.id,
      'x-webhook-event': row.event_type,
    };
    let outcome: PostOutcome;
    try {
      outcome = await postJson(row.url, row.body, headers, {
        timeoutMs: this.options.deliveryTimeoutMs,
        allowPrivateAddresses: this.options.allowPrivateAddresses,
      });
    } catch (error) {
      outcome = {
        statusCode: null,
        error: `could not send: ${(error as Error).message}`,
        durationMs: 0,
        response: null,
      };
    }
    const succeeded = isSuccessStatus(outcome.statusCode);
    const state = afterAttempt({
      succeeded,
      retries: row.event_type !== WebhookEventTypes.test,
      attemptsMade: row.attempt_count + 1,
      firstAttemptAt: row.first_attempt_at ?? now,
      now,
    });
    const result = succeeded ? 'success' : outcome.statusCode === null ? 'network_error' : 'http_error';
    this.metrics.webhookAttempts.inc({ result });
    this.metrics.webhookAttemptDuration.observe({ result }, outcome.durationMs / 1000);
    if (state.status === 'delivered' || state.status === 'failed') {
      this.metrics.webhookDeliveriesSettled.inc({ status: state.status });
    }
    if (state.status === 'failed') {
      this.logger.warn(
        { deliveryId: row.id, merchantId: row.merchant_id, attempts: row.attempt_count + 1, error: outcome.error },
        'webhook delivery failed for good',
      );
    }
    try {
      await this.settle(row, now, outcome, state);
    } catch (error) {
      // The claim expires and the delivery is tried again: at least once, never lost.
      this.logger.error({ err: error, deliveryId: row.id }, 'could not record a webhook attempt');
    }
  }

  /**
   * Logs the attempt and moves the delivery on — unless it was rescheduled meanwhile (redeliver
   * cleared the claim): then only the attempt is counted, the new schedule stands.
   */
  private async settle(
    row: ClaimedRow,
    now: Date,
    outcome: PostOutcome | undefined,
    state: DeliveryState | { status: 'canceled' },
  ): Promise<void> {
    const nextAttemptAt = state.status === 'pending' ? state.nextAttemptAt : null;
    await this.dataSource.transaction(async (em) => {
      if (outcome) {
        await em.query(
          `INSERT INTO webhook_attempt (delivery_id, attempted_at, url, status_code, error, duration_ms, response)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [row.id, now, row.url, outcome.statusCode, outcome.error, outcome.durationMs, outcome.response],
        );
      }
      const attempted = outcome !== undefined;
      await em.query(
        `UPDATE webhook_delivery SET
           attempt_count = attempt_count + CASE WHEN $8::boolean THEN 1 ELSE 0 END,
           first_attempt_at = CASE WHEN $8::boolean THEN COALESCE(first_attempt_at, $4) ELSE first_attempt_at END,
           last_attempt_at = CASE WHEN $8::boolean THEN $4 ELSE last_attempt_at END,
           last_status_code = CASE WHEN $8::boolean THEN $5::int ELSE last_status_code END,
           last_error = CASE WHEN $8::boolean THEN $6::text ELSE last_error END,
           status = CASE WHEN claim_token = $2 THEN $3::text ELSE status END,
           delivered_at = CASE WHEN claim_token = $2 AND $3::text = 'delivered' THEN $4 ELSE delivered_at END,
           next_attempt_at = CASE WHEN claim_token = $2 AND $7::timestamptz IS NOT NULL THEN $7 ELSE next_attempt_at END,
           claim_token = CASE WHEN claim_token = $2 THEN NULL ELSE claim_token END,
           updated_at = $4
         WHERE id = $1`,
        [
          row.id,
          row.claim_token,
          state.status,
          now,
          outcome?.statusCode ?? null,
          outcome?.error ?? null,
          nextAttemptAt,
          attempted,
        ],
      );
    });
  }
}
