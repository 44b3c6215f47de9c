import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentEventTypes } from '@cashless/contracts';
import type { PaymentOutcome, UnattributedTransferReceivedData } from '@cashless/contracts';
import { preparedStatement, queryPrepared, runPrepared } from '@cashless/database';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError } from '@cashless/observability';
import type { FieldError } from '@cashless/observability';
import { PAYMENT_CONFIG } from '../payment.config';
import type { PaymentConfig } from '../payment.config';
import type { IntentStatus } from '../intents/intent-state';
import { decideMatch, paymentCodesIn } from './matching';
import type { AccountOwner, IntentCandidate, UnattributedReason } from './matching';
import { NOTIFICATION_FIELDS, PaymentRecorder, bankTransferOf, paymentEvent, transferKey } from './payment-records';
import type { NotificationRow } from './payment-records';
import { BANK_PROVIDERS, parseJson } from './providers/feed';
import type { BankProvider, FeedTransfer, RequestHeaders } from './providers/feed';
import { configureFeeds } from './providers/feeds';
import type { ConfiguredFeed } from './providers/feeds';
import { MAX_NOTIFICATION_BYTES } from './raw-body';

export type IntakeAnswer =
  | {
      status: 'accepted';
      id: string;
      outcome: PaymentOutcome | 'unattributed';
      paymentId?: string;
      unattributedId?: string;
      reason?: UnattributedReason;
    }
  | { status: 'duplicate'; id: string }
  | { status: 'ignored'; id: string; reason: NonNullable<FeedTransfer['ignoredReason']> | 'unknown_bank' };

/** Headers kept with a notification: enough to re-check its signature, never a credential (`Authorization`). */
const KEPT_HEADERS = [
  'content-length',
  'user-agent',
  'x-request-id',
  'x-forwarded-for',
  'x-signature',
  'x-casso-signature',
  'x-sepay-signature',
  'x-sepay-timestamp',
];

function keptHeaders(headers: RequestHeaders, contentType: string | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  if (contentType !== undefined) kept['content-type'] = contentType.slice(0, 200);
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 500);
  }
  return kept;
}

interface IntentRow {
  id: string;
  merchant_id: string;
  status: IntentStatus;
  amount: string;
  payment_code: string;
  order_ref: string | null;
  bank_bin: string;
  account_number: string;
  expires_at: Date;
}

const signatureInvalid = (reason: string) =>
  new ApiError(
    401,
    'signature_invalid',
    {
      vi: 'Chữ ký của thông báo ngân hàng bị thiếu, sai hoặc đã quá hạn',
      en: 'The bank notification signature is missing, wrong or outside the time window',
    },
    { reason },
  );

/** The merchants owning the notification's account ($5 bank, $6 number), as JSON: who a transfer without a code paid. */
const OWNERS_SQL = `SELECT coalesce(json_agg(json_build_object('merchantId', o.merchant_id, 'status', o.status)), '[]')
  FROM (SELECT DISTINCT a.merchant_id, v.status
        FROM merchant_payout_account a JOIN merchant_view v ON v.merchant_id = a.merchant_id
        WHERE a.bank_bin = $5::text AND a.account_number = $6::text) o`;

// The notification and the account's owners (which matching needs) in one round trip.
const STORE_NOTIFICATION = preparedStatement(
  'payment_store_notification',
  `WITH n AS (
     INSERT INTO bank_notification (id, provider, provider_txn_id, direction, bank_bin, account_number, amount,
                                    content, transferred_at, payer_name, payer_account, reference, ignored_reason,
                                    raw_body, headers, received_at)
     VALUES ($1, $2, $3, $4, $5::text, $6::text, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (provider, provider_txn_id) DO NOTHING
     RETURNING ${NOTIFICATION_FIELDS}
   )
   SELECT n.*, (${OWNERS_SQL}) AS owners FROM n`,
);

// Locked in id order (no deadlock between two transfers naming the same intents): a second
// transfer for an intent waits here and then sees the first one's payment in its total.
const LOCK_NAMED_INTENTS = preparedStatement(
  'payment_lock_named_intents',
  `SELECT id, merchant_id, status, amount, payment_code, order_ref, bank_bin, account_number, expires_at
   FROM payment_intent WHERE payment_code = ANY($1) ORDER BY id FOR UPDATE`,
);

const RECEIVED_FOR_INTENTS = preparedStatement(
  'payment_received_for_intents',
  `SELECT intent_id, sum(amount)::text AS total FROM payment
   WHERE intent_id = ANY($1) AND outcome IN ('succeeded', 'underpaid', 'overpaid') GROUP BY intent_id`,
);

const SET_INTENT_STATUS = preparedStatement(
  'payment_set_intent_status',
  'UPDATE payment_intent SET status = $2, updated_at = $3 WHERE id = $1',
);

const INSERT_UNATTRIBUTED = preparedStatement(
  'payment_insert_unattributed',
  `INSERT INTO unattributed_transfer (id, notification_id, reason, intent_id, status, created_at)
   VALUES ($1, $2, $3, $4, 'open', $5)`,
);

/**
 * Bank notification intake. Order of checks: the feed is configured (else 404), the request is
 * authentic and fresh (else 401, nothing stored), the payload is well-formed (else 400 and the raw
 * body stored for inspection). Then one transaction stores the notification (the unique key on
 * provider + transaction id is the dedupe gate), matches it and writes the payment or the
 * unattributed entry with their events: an answer of 200 means it is durably stored.
 */
@Injectable()
export class BankNotificationsService {
  private readonly feeds: Map<BankProvider, ConfiguredFeed>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly recorder: PaymentRecorder,
    @Inject(PAYMENT_CONFIG) config: PaymentConfig,
  ) {
    const env = config.env;
    this.feeds = configureFeeds({
      genericSecret: env.BANK_WEBHOOK_SECRET,
      windowSeconds: env.BANK_SIGNATURE_WINDOW_SECONDS,
      sepayApiKey: env.SEPAY_API_KEY,
      sepayWebhookSecret: env.SEPAY_WEBHOOK_SECRET,
      cassoChecksumKey: env.CASSO_CHECKSUM_KEY,
      payosChecksumKey: env.PAYOS_CHECKSUM_KEY,
    });
  }

  async receive(
    provider: string,
    rawBody: Buffer,
    headers: RequestHeaders,
    contentType: string | undefined,
    now = new Date(),
  ): Promise<IntakeAnswer> {
    if (!(BANK_PROVIDERS as readonly string[]).includes(provider)) {
      throw new ApiError(404, 'unknown_provider', {
        vi: 'Không có nguồn thông báo ngân hàng này',
        en: 'No such bank notification provider',
      });
    }
    const feed = this.feeds.get(provider as BankProvider);
    if (!feed) {
      throw new ApiError(
        404,
        'provider_not_configured',
        {
          vi: 'Nguồn thông báo ngân hàng này chưa được cấu hình',
          en: 'This bank notification provider is not configured',
        },
        { provider },
      );
    }
    const check = feed.verify(rawBody, headers, now);
    if (!check.ok) throw signatureInvalid(check.reason);

    const kept = keptHeaders(headers, contentType);
    const payload = parseJson(rawBody);
    if (payload === undefined) {
      throw await this.reject(feed.provider, 'invalid_json', rawBody, kept, now, [
        { field: 'body', message: { vi: 'Nội dung không phải JSON hợp lệ', en: 'The body is not valid JSON' } },
      ]);
    }
    const canonical = feed.toCanonical(payload);
    if (!canonical.ok)
      throw await this.reject(feed.provider, 'validation_failed', rawBody, kept, now, canonical.errors);
    return this.store(feed.provider, canonical.transfer, rawBody, kept, now);
  }

  /** Keeps an authentic but malformed notification for inspection, and returns the 400 to answer. */
  private async reject(
    provider: BankProvider,
    reason: string,
    rawBody: Buffer,
    headers: Record<string, string>,
    now: Date,
    fields: FieldError[],
  ): Promise<ApiError> {
    await this.dataSource.query(
      `INSERT INTO bank_notification_rejected (id, provider, reason, details, raw_body, raw_size, headers, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        randomUUID(),
        provider,
        reason,
        JSON.stringify({ fields }),
        rawBody.subarray(0, MAX_NOTIFICATION_BYTES),
        rawBody.length,
        JSON.stringify(headers),
        now,
      ],
    );
    return ApiError.validation(fields);
  }

  private store(
    provider: BankProvider,
    transfer: FeedTransfer,
    rawBody: Buffer,
    headers: Record<string, string>,
    now: Date,
  ): Promise<IntakeAnswer> {
    return this.dataSource.transaction(async (em) => {
      const codes = transfer.ignoredReason ? [] : paymentCodesIn(transfer.content);
      const bankBin = transfer.bankBin ?? (await this.resolveBankBin(em, transfer.accountNumber, codes));
      const ignoredReason = transfer.ignoredReason ?? (bankBin === null ? 'unknown_bank' : undefined);
      const [stored] = await queryPrepared<NotificationRow & { owners: AccountOwner[] }>(em, STORE_NOTIFICATION, [
        randomUUID(),
        provider,
        transfer.id,
        transfer.direction,
        bankBin,
        transfer.accountNumber,
        String(transfer.amount),
        transfer.content,
        transfer.transferredAt,
        transfer.payerName ?? null,
        transfer.payerAccount ?? null,
        transfer.reference ?? null,
        ignoredReason ?? null,
        rawBody,
        JSON.stringify(headers),
        now,
      ]);
      if (!stored) {
        // Another delivery of the same transaction committed first (an insert racing it waited for that commit).
        const [first] = (await em.query(
          'SELECT id FROM bank_notification WHERE provider = $1 AND provider_txn_id = $2',
          [provider, transfer.id],
        )) as { id: string }[];
        return { status: 'duplicate', id: first.id };
      }
      const { owners, ...row } = stored;
      if (ignoredReason) return { status: 'ignored', id: row.id, reason: ignoredReason };
      return this.match(em, row, codes, owners, now);
    });
  }

  /**
   * The receiving bank when the feed did not name one the directory knows: the bank of the intent
   * a code names with this very account, else of the payout account with this number when only
   * one bank has it in our read model.
   */
  private async resolveBankBin(em: EntityManager, accountNumber: string, codes: string[]): Promise<string | null> {
    const fromIntents = codes.length
      ? ((await em.query(
          'SELECT DISTINCT bank_bin FROM payment_intent WHERE payment_code = ANY($1) AND account_number = $2',
          [codes, accountNumber],
        )) as { bank_bin: string }[])
      : [];
    if (fromIntents.length === 1) return fromIntents[0].bank_bin;
    const fromAccounts = (await em.query(
      'SELECT DISTINCT bank_bin FROM merchant_payout_account WHERE account_number = $1 LIMIT 2',
      [accountNumber],
    )) as { bank_bin: string }[];
    return fromAccounts.length === 1 ? fromAccounts[0].bank_bin : null;
  }

  private async match(
    em: EntityManager,
    row: NotificationRow,
    codes: string[],
    owners: AccountOwner[],
    now: Date,
  ): Promise<IntakeAnswer> {
    const transfer = bankTransferOf(row);
    const intentRows = codes.length ? await queryPrepared<IntentRow>(em, LOCK_NAMED_INTENTS, [codes]) : [];
    const received = intentRows.length
      ? await queryPrepared<{ intent_id: string; total: string }>(em, RECEIVED_FOR_INTENTS, [
          intentRows.map((i) => i.id),
        ])
      : [];
    const intents: IntentCandidate[] = intentRows.map((i) => ({
      id: i.id,
      merchantId: i.merchant_id,
      paymentCode: i.payment_code,
      status: i.status,
      amount: Number(i.amount),
      received: Number(received.find((r) => r.intent_id === i.id)?.total ?? 0),
      expiresAt: i.expires_at,
      bankBin: i.bank_bin,
      accountNumber: i.account_number,
    }));

    const decision = decideMatch({ transfer, codes, intents, owners, now });
    switch (decision.kind) {
      case 'intent': {
        const { intent } = decision;
        if (decision.intentStatus !== intent.status) {
          await runPrepared(em, SET_INTENT_STATUS, [intent.id, decision.intentStatus, now]);
        }
        const orderRef = intentRows.find((i) => i.id === intent.id)?.order_ref ?? null;
        const payment = await this.recorder.record(
          em,
          {
            transfer,
            merchantId: decision.merchantId,
            channel: 'dynamic_qr',
            outcome: decision.outcome,
            intent: {
              id: intent.id,
              status: decision.intentStatus,
              amount: intent.amount,
              paymentCode: intent.paymentCode,
              orderRef,
            },
            publish: true,
          },
          now,
        );
        return { status: 'accepted', id: row.id, outcome: payment.outcome, paymentId: payment.paymentId };
      }
      case 'static': {
        const payment = await this.recorder.record(
          em,
          {
            transfer,
            merchantId: decision.merchantId,
            channel: 'static_qr',
            outcome: 'static',
            intent: null,
            publish: true,
          },
          now,
        );
        return { status: 'accepted', id: row.id, outcome: 'static', paymentId: payment.paymentId };
      }
      case 'unattributed': {
        const unattributedId = randomUUID();
        await runPrepared(em, INSERT_UNATTRIBUTED, [unattributedId, row.id, decision.reason, decision.intentId, now]);
        const data: UnattributedTransferReceivedData = {
          unattributedId,
          reason: decision.reason,
          transfer,
          recordedAt: now.toISOString(),
        };
        await this.outbox.append(em, [
          paymentEvent(PaymentEventTypes.unattributedTransferReceived, transferKey(row.id), data, now),
        ]);
        return { status: 'accepted', id: row.id, outcome: 'unattributed', unattributedId, reason: decision.reason };
      }
    }
  }
}
