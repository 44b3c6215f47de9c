import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { newTraceId } from '@cashless/contracts';
import type { PaymentChannel } from '@cashless/contracts';
import { ApiError } from '@cashless/observability';
import { decideIdempotency } from '@cashless/contracts';
import type { StoredIdempotency } from '@cashless/contracts';
import type { CallerPrincipal } from '../auth/caller.guard';
import { API_LANE } from '../journal/hash-chain';
import { JournalRepository } from '../journal/journal.repository';
import { receiptKey, resolutionKey } from '../journal/posting-rules';
import { refundsAccount } from '../journal/accounts';
import { bankAccountFromCode, decideRefund, refundPosting } from './refund-rules';
import type { RefundableReceipt } from './refund-rules';

export interface RefundInput {
  merchantId: string;
  paymentId?: string;
  notificationId?: string;
  amount: number;
  reason: string;
}

export interface RefundView {
  id: string;
  merchantId: string;
  paymentId: string | null;
  notificationId: string;
  amount: number;
  reason: string;
  transactionId: string;
  /** What is left to refund of the payment after this refund. */
  remaining: number;
  createdAt: string;
}

interface ReceiptRow {
  id: string;
  merchant_id: string;
  channel: PaymentChannel | null;
  payment_id: string | null;
  notification_id: string;
  received: string;
  bank_code: string | null;
  refunded: string;
}

const paymentNotFound = () =>
  ApiError.notFound({
    vi: 'Sổ cái chưa ghi nhận khoản thanh toán này cho cửa hàng',
    en: 'The ledger has no such payment for this merchant',
  });

/**
 * Refunds the shop owner made from their own bank account, recorded as compensating
 * transactions on the API lane. One database transaction: the Idempotency-Key (Stripe semantics),
 * the receipt being refunded (locked, so two refunds of one payment cannot both pass the limit),
 * the journal posting and the stored answer.
 */
@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly journal: JournalRepository,
  ) {}

  async record(caller: CallerPrincipal, idempotencyKey: string, requestHash: string, input: RefundInput) {
    // The accounts a refund touches exist before its transaction opens (see JournalRepository.ensureAccounts).
    const [known] = await this.findReceipt(this.dataSource.manager, input);
    if (known?.bank_code) {
      await this.journal.ensureAccounts([refundsAccount(input.merchantId), bankAccountFromCode(known.bank_code)]);
    }
    return this.dataSource.transaction(async (em): Promise<RefundView> => {
      const [{ locked }] = (await em.query('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked', [
        `ledger-refund:${input.merchantId}`,
        idempotencyKey,
      ])) as { locked: boolean }[];
      const [stored] = locked
        ? ((await em.query(
            `SELECT request_hash AS "requestHash", 201 AS "responseStatus", response AS "responseBody"
             FROM ledger_refund WHERE merchant_id = $1 AND idempotency_key = $2`,
            [input.merchantId, idempotencyKey],
          )) as StoredIdempotency[])
        : [];
      const decision = decideIdempotency(locked, stored ?? null, requestHash);
      if (decision.kind === 'in_progress') {
        throw new ApiError(409, 'idempotency_in_progress', {
          vi: 'Một yêu cầu khác với cùng Idempotency-Key đang được xử lý; hãy thử lại sau',
          en: 'Another request with this Idempotency-Key is in progress; retry later',
        });
      }
      if (decision.kind === 'mismatch') {
        throw new ApiError(422, 'idempotency_key_reused', {
          vi: 'Idempotency-Key này đã được dùng cho một yêu cầu khác',
          en: 'This Idempotency-Key was used for a different request',
        });
      }
      if (decision.kind === 'replay') return decision.body as RefundView;

      const receipt = await this.lockReceipt(em, input);
      const amount = BigInt(input.amount);
      const allowed = decideRefund(receipt, amount);
      if (!allowed.ok) {
        throw new ApiError(
          422,
          'refund_exceeds_payment',
          {
            vi: `Số tiền hoàn vượt quá số còn lại của khoản thanh toán (${allowed.remaining} đồng)`,
            en: `The refund exceeds what is left of the payment (${allowed.remaining} đồng)`,
          },
          {
            received: Number(receipt.received),
            refunded: Number(receipt.refunded),
            remaining: Number(allowed.remaining),
          },
        );
      }
      const id = randomUUID();
      const now = new Date();
      const requestedBy = caller.kind === 'officer' ? `officer:${caller.username}` : `merchant:${caller.merchantId}`;
      const tx = refundPosting(receipt, { refundId: id, amount, reason: input.reason, requestedBy, refundedAt: now });
      const [link] = (await this.journal.post(em, API_LANE, [{ tx, traceId: newTraceId() }], now)).links;
      const view: RefundView = {
        id,
        merchantId: receipt.merchantId,
        paymentId: receipt.paymentId,
        notificationId: receipt.notificationId,
        amount: input.amount,
        reason: input.reason,
        transactionId: link.id,
        remaining: Number(allowed.remaining),
        createdAt: now.toISOString(),
      };
      await em.query(
        `INSERT INTO ledger_refund (id, merchant_id, receipt_transaction_id, amount, reason, requested_by,
           idempotency_key, request_hash, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          receipt.merchantId,
          receipt.id,
          input.amount,
          input.reason,
          requestedBy,
          idempotencyKey,
          requestHash,
          view,
          now,
        ],
      );
      return view;
    });
  }

  /**
   * The transaction that credited the merchant for the payment (a receipt, or an officer's
   * assignment of a queued transfer), locked for this refund, with what earlier refunds took.
   */
  private async lockReceipt(em: EntityManager, input: RefundInput): Promise<RefundableReceipt & { id: string }> {
    const [found] = await this.findReceipt(em, input);
    if (!found || found.merchant_id !== input.merchantId || found.bank_code === null) throw paymentNotFound();
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ledger-refund-receipt:${found.id}`]);
    // Read again under the lock: a refund that committed meanwhile counts.
    const [row] = await this.findReceipt(em, input);
    return {
      id: row.id,
      merchantId: row.merchant_id,
      channel: row.channel,
      paymentId: row.payment_id,
      notificationId: row.notification_id,
      bankAccountCode: row.bank_code!,
      received: BigInt(row.received),
      refunded: BigInt(row.refunded),
    };
  }

  private findReceipt(em: EntityManager, input: RefundInput): Promise<ReceiptRow[]> {
    return em.query(
      `SELECT t.id, t.merchant_id, t.channel, t.payment_id, t.notification_id,
              (SELECT e.amount FROM ledger_entry e WHERE e.transaction_id = t.id AND e.side = 'credit' LIMIT 1)::text
                AS received,
              (SELECT a.code FROM ledger_transaction r
                 JOIN ledger_entry e ON e.transaction_id = r.id AND e.side = 'debit'
                 JOIN ledger_account a ON a.id = e.account_id AND a.kind = 'bank'
               WHERE r.posting_key = 'receipt:' || t.notification_id) AS bank_code,
              (SELECT coalesce(sum(f.amount), 0) FROM ledger_refund f WHERE f.receipt_transaction_id = t.id)::text
                AS refunded
       FROM ledger_transaction t
       WHERE t.rule IN ('payment_received', 'transfer_assigned')
         AND ${input.paymentId ? 't.payment_id = $1::uuid' : 't.posting_key = ANY($1::text[])'}`,
      [input.paymentId ?? [receiptKey(input.notificationId!), resolutionKey(input.notificationId!)]],
    ) as Promise<ReceiptRow[]>;
  }
}
