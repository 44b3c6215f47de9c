import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentEventTypes, Topics, newTraceId } from '@cashless/contracts';
import type {
  PaymentIntentCanceledData,
  PaymentIntentCreatedData,
  PaymentIntentExpiredData,
} from '@cashless/contracts';
import { keysetPage, preparedStatement, queryPrepared } from '@cashless/database';
import type { KeysetPosition } from '@cashless/database';
import { OutboxWriter } from '@cashless/messaging';
import type { OutgoingEvent } from '@cashless/messaging';
import { ApiError } from '@cashless/observability';
import { VietQrInputError, encodeVietQr } from '@cashless/vietqr';
import { MERCHANT_VIEW_SQL } from '../merchants/merchant-read-model';
import type { MerchantView } from '../merchants/merchant-read-model';
import type { PayoutAccountView } from '../merchants/merchant-snapshot';
import { IDEMPOTENCY_RETENTION_HOURS, decideIdempotency } from '@cashless/contracts';
import type { StoredIdempotency } from '@cashless/contracts';
import { transition } from './intent-state';
import type { IntentStatus } from './intent-state';
import { generatePaymentCode } from './payment-code';

export interface CreateIntentInput {
  amount: number;
  orderRef?: string;
  description?: string;
  expiresInSeconds: number;
}

export interface CreatedIntent {
  id: string;
  status: IntentStatus;
  amount: number;
  paymentCode: string;
  qrPayload: string;
  expiresAt: string;
}

export interface IntentView extends CreatedIntent {
  merchantId: string;
  orderRef: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IntentFilter {
  status?: IntentStatus[];
  orderRef?: string;
  paymentCode?: string;
  createdFrom?: Date;
  createdTo?: Date;
  limit: number;
  cursor?: KeysetPosition;
}

export interface IntentList {
  data: IntentView[];
  nextCursor: string | null;
}

interface IntentRow {
  id: string;
  merchant_id: string;
  status: IntentStatus;
  amount: string;
  payment_code: string;
  order_ref: string | null;
  description: string | null;
  bank_bin: string;
  account_number: string;
  qr_payload: string;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

const notFound = () => ApiError.notFound({ vi: 'Không tìm thấy yêu cầu thanh toán', en: 'Payment intent not found' });

function view(row: IntentRow): IntentView {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    status: row.status,
    amount: Number(row.amount),
    paymentCode: row.payment_code,
    qrPayload: row.qr_payload,
    orderRef: row.order_ref,
    description: row.description,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function snapshot(row: IntentRow) {
  return {
    intentId: row.id,
    merchantId: row.merchant_id,
    status: row.status,
    amount: Number(row.amount),
    paymentCode: row.payment_code,
    orderRef: row.order_ref,
    expiresAt: row.expires_at.toISOString(),
  };
}

function intentEvent<T>(type: string, row: IntentRow, data: T, at: Date): OutgoingEvent<T> {
  return {
    topic: Topics.paymentEvents,
    type,
    version: 1,
    key: row.merchant_id,
    traceId: newTraceId(),
    occurredAt: at,
    data,
  };
}

// The key's lock, its stored answer and the merchant in one round trip: the answer's sub-select
// runs after the lock.
const LOCK_KEY_AND_READ_MERCHANT = preparedStatement(
  'payment_intent_lock_key',
  `SELECT l.locked, CASE WHEN l.locked THEN (
            SELECT json_build_object('requestHash', request_hash, 'responseStatus', response_status,
                                     'responseBody', response_body)
            FROM idempotency_key WHERE merchant_id = $1::uuid AND key = $2) END AS stored,
          m.status AS merchant_status, m.accounts AS merchant_accounts
   FROM (SELECT pg_try_advisory_xact_lock(hashtext($1::text), hashtext($2::text)) AS locked) l
   LEFT JOIN (${MERCHANT_VIEW_SQL}) m ON m.merchant_id = $1::uuid`,
);

// The intent and the key's stored answer in one statement; no answer is stored if the code was taken.
const INSERT_INTENT_AND_ANSWER = preparedStatement(
  'payment_intent_insert',
  `WITH intent AS (
     INSERT INTO payment_intent (id, merchant_id, status, amount, payment_code, order_ref, description,
                                 bank_bin, account_number, qr_payload, expires_at, created_at, updated_at)
     VALUES ($1, $2, 'requires_payment', $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (payment_code) DO NOTHING
     RETURNING *
   ), answer AS (
     INSERT INTO idempotency_key (merchant_id, key, request_hash, response_status, response_body)
     SELECT $2, $12, $13, 201, $14 FROM intent
   )
   SELECT * FROM intent`,
);

/** Payment intents: create (idempotent), read, cancel, expire. Each change writes its event through the outbox. */
@Injectable()
export class IntentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * One transaction: the key's advisory lock (taken without waiting: a concurrent duplicate gets
   * 409), the stored answer if any, else the intent, its event and the stored answer together.
   */
  async create(
    merchantId: string,
    idempotencyKey: string,
    requestHash: string,
    input: CreateIntentInput,
  ): Promise<CreatedIntent> {
    return this.dataSource.transaction(async (em) => {
      const [{ locked, stored, merchant_status, merchant_accounts }] = await queryPrepared<{
        locked: boolean;
        stored: StoredIdempotency | null;
        merchant_status: string | null;
        merchant_accounts: PayoutAccountView[] | null;
      }>(em, LOCK_KEY_AND_READ_MERCHANT, [merchantId, idempotencyKey]);
      const decision = decideIdempotency(locked, stored, requestHash);
      switch (decision.kind) {
        case 'in_progress':
          throw new ApiError(409, 'idempotency_in_progress', {
            vi: 'Một yêu cầu khác với cùng Idempotency-Key đang được xử lý; hãy thử lại sau',
            en: 'Another request with this Idempotency-Key is in progress; retry later',
          });
        case 'mismatch':
          throw new ApiError(422, 'idempotency_key_reused', {
            vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác',
            en: 'This Idempotency-Key was used for a different request',
          });
        case 'replay':
          return decision.body as CreatedIntent;
        case 'proceed':
          break;
      }
      const merchant: MerchantView | null =
        merchant_status === null
          ? null
          : { merchantId, status: merchant_status, payoutAccounts: merchant_accounts ?? [] };
      return this.insertIntent(em, merchant, input, { key: idempotencyKey, requestHash });
    });
  }

  /** The intent, its event and the stored answer of its Idempotency-Key. */
  private async insertIntent(
    em: EntityManager,
    merchant: MerchantView | null,
    input: CreateIntentInput,
    idempotency: { key: string; requestHash: string },
  ): Promise<CreatedIntent> {
    if (!merchant) {
      throw new ApiError(403, 'merchant_unknown', {
        vi: 'Cửa hàng chưa được ghi nhận ở dịch vụ thanh toán',
        en: 'This merchant is not known to the payment service',
      });
    }
    if (merchant.status !== 'active') {
      throw new ApiError(
        409,
        'merchant_not_active',
        {
          vi: 'Cửa hàng chưa hoạt động hoặc đã bị tạm ngưng, không thể tạo yêu cầu thanh toán',
          en: 'The merchant is not active (pending, suspended or closed) and cannot create payment intents',
        },
        { status: merchant.status },
      );
    }
    const { merchantId } = merchant;
    const account = merchant.payoutAccounts[0];
    const unusable = () =>
      new ApiError(409, 'no_payout_account', {
        vi: 'Cửa hàng không có tài khoản nhận tiền dùng được',
        en: 'The merchant has no usable payout account',
      });
    if (!account) throw unusable();
    const id = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + input.expiresInSeconds * 1000);
    for (let attempt = 0; attempt < 5; attempt++) {
      const paymentCode = generatePaymentCode();
      let qrPayload: string;
      try {
        qrPayload = encodeVietQr({
          bankBin: account.bankBin,
          account: account.accountNumber,
          amount: input.amount,
          paymentCode,
          purpose: input.description,
          merchantName: account.accountName,
        });
      } catch (error) {
        if (error instanceof VietQrInputError) throw unusable();
        throw error;
      }
      const answer: CreatedIntent = {
        id,
        status: 'requires_payment',
        amount: input.amount,
        paymentCode,
        qrPayload,
        expiresAt: expiresAt.toISOString(),
      };
      const rows = await queryPrepared<IntentRow>(em, INSERT_INTENT_AND_ANSWER, [
        id,
        merchantId,
        String(input.amount),
        paymentCode,
        input.orderRef ?? null,
        input.description ?? null,
        account.bankBin,
        account.accountNumber,
        qrPayload,
        expiresAt,
        now,
        idempotency.key,
        idempotency.requestHash,
        JSON.stringify(answer),
      ]);
      if (rows.length === 0) continue; // code taken: draw another
      const row = rows[0];
      await this.outbox.append(em, [
        intentEvent<PaymentIntentCreatedData>(
          PaymentEventTypes.intentCreated,
          row,
          {
            ...snapshot(row),
            bankBin: row.bank_bin,
            accountNumber: row.account_number,
            createdAt: row.created_at.toISOString(),
          },
          now,
        ),
      ]);
      return answer;
    }
    throw new Error('could not draw a free payment code in 5 attempts');
  }

  async get(merchantId: string, id: string): Promise<IntentView> {
    const [row] = (await this.dataSource.query('SELECT * FROM payment_intent WHERE id = $1 AND merchant_id = $2', [
      id,
      merchantId,
    ])) as IntentRow[];
    if (!row) throw notFound();
    return view(row);
  }

  /** One page of the merchant's intents, newest first (keyset on the (merchant, created_at, id) index). */
  async list(merchantId: string, filter: IntentFilter): Promise<IntentList> {
    const where = ['merchant_id = $1'];
    const params: unknown[] = [merchantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ANY(?)', filter.status);
    if (filter.orderRef) add('order_ref = ?', filter.orderRef);
    if (filter.paymentCode) add('payment_code = ?', filter.paymentCode);
    if (filter.createdFrom) add('created_at >= ?', filter.createdFrom);
    if (filter.createdTo) add('created_at < ?', filter.createdTo);
    if (filter.cursor) {
      params.push(filter.cursor.at, filter.cursor.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT * FROM payment_intent WHERE ${where.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as IntentRow[];
    const page = keysetPage(rows, filter.limit, (r) => ({ at: r.created_at, id: r.id }));
    return { data: page.data.map(view), nextCursor: page.nextCursor };
  }

  /** Owner only; canceling twice answers the canceled intent again. Past its expiry it is expired instead (409). */
  async cancel(merchantId: string, id: string, now = new Date()): Promise<IntentView> {
    const result = await this.dataSource.transaction(async (em) => {
      const [row] = (await em.query('SELECT * FROM payment_intent WHERE id = $1 AND merchant_id = $2 FOR UPDATE', [
        id,
        merchantId,
      ])) as IntentRow[];
      if (!row) throw notFound();
      if (row.status === 'canceled') return view(row);
      const next = transition({ status: row.status, expiresAt: row.expires_at }, 'cancel', now);
      if (!next.ok) throw notCancelable(row.status);
      const updated = await this.setStatus(em, row, next.to, now);
      return view(updated);
    });
    if (result.status !== 'canceled') throw notCancelable(result.status);
    return result;
  }

  /** Marks due intents expired (a batch, skipping rows another replica holds). Returns how many. */
  async expireDue(now = new Date(), limit = 500): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const rows = (await em.query(
        `SELECT * FROM payment_intent WHERE status = 'requires_payment' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      )) as IntentRow[];
      let expired = 0;
      for (const row of rows) {
        const next = transition({ status: row.status, expiresAt: row.expires_at }, 'expire', now);
        if (!next.ok) continue;
        await this.setStatus(em, row, next.to, now);
        expired++;
      }
      return expired;
    });
  }

  /** Deletes idempotency keys past their retention. */
  async pruneIdempotencyKeys(): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`, [
      IDEMPOTENCY_RETENTION_HOURS,
    ]);
  }

  private async setStatus(em: EntityManager, row: IntentRow, to: IntentStatus, now: Date): Promise<IntentRow> {
    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const result = (await em.query('UPDATE payment_intent SET status = $2, updated_at = $3 WHERE id = $1 RETURNING *', [
      row.id,
      to,
      now,
    ])) as [IntentRow[], number] | IntentRow[];
    const next = (Array.isArray(result[0]) ? result[0][0] : result[0]) as IntentRow;
    if (to === 'canceled') {
      await this.outbox.append(em, [
        intentEvent<PaymentIntentCanceledData>(
          PaymentEventTypes.intentCanceled,
          next,
          { ...snapshot(next), canceledAt: now.toISOString() },
          now,
        ),
      ]);
    } else if (to === 'expired') {
      await this.outbox.append(em, [
        intentEvent<PaymentIntentExpiredData>(
          PaymentEventTypes.intentExpired,
          next,
          { ...snapshot(next), expiredAt: now.toISOString() },
          now,
        ),
      ]);
    }
    return next;
  }
}

function notCancelable(status: IntentStatus): ApiError {
  return new ApiError(
    409,
    'intent_not_cancelable',
    {
      vi: 'Yêu cầu thanh toán này không còn huỷ được',
      en: 'This payment intent can no longer be canceled',
    },
    { status },
  );
}
