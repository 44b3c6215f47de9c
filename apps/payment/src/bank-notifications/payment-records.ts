import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@cashless/database';
import { Topics, newTraceId, paymentRecordedEventType } from '@cashless/contracts';
import type { BankTransfer, PaymentChannel, PaymentOutcome, PaymentRecordedData } from '@cashless/contracts';
import { OutboxWriter } from '@cashless/messaging';
import type { OutgoingEvent } from '@cashless/messaging';
import { currentRequestId } from '@cashless/observability';
import type { IntentStatus } from '../intents/intent-state';
import { PaymentNotices } from '../notices/payment-notices';
import type { BankProvider } from './providers/feed';

/** A `bank_notification` row as `pg` returns it (bigint as string, converted in `bankTransferOf`). */
export interface NotificationRow {
  id: string;
  provider: BankProvider;
  provider_txn_id: string;
  direction: 'in' | 'out';
  bank_bin: string | null;
  account_number: string;
  amount: string;
  content: string;
  transferred_at: Date;
  payer_name: string | null;
  payer_account: string | null;
  reference: string | null;
  received_at: Date;
}

const NOTIFICATION_FIELD_LIST = [
  'id',
  'provider',
  'provider_txn_id',
  'direction',
  'bank_bin',
  'account_number',
  'amount',
  'content',
  'transferred_at',
  'payer_name',
  'payer_account',
  'reference',
  'received_at',
];
/** The columns of `bank_notification` a transfer is rebuilt from. */
export const NOTIFICATION_FIELDS = NOTIFICATION_FIELD_LIST.join(', ');
/** The same columns of `bank_notification n`, prefixed so they survive a join. */
export const NOTIFICATION_COLUMNS = NOTIFICATION_FIELD_LIST.map((f) => `n.${f} AS n_${f}`).join(', ');

/** The notification columns of a row selected with `NOTIFICATION_COLUMNS`. */
export function notificationOf(row: Record<string, unknown>): NotificationRow {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (key.startsWith('n_')) out[key.slice(2)] = value;
  return out as unknown as NotificationRow;
}

/** A stored incoming notification as events carry it; the one place its bigint amount becomes a number. */
export function bankTransferOf(row: NotificationRow): BankTransfer {
  if (row.bank_bin === null) throw new Error(`notification ${row.id} has no bank BIN and cannot be attributed`);
  return {
    notificationId: row.id,
    provider: row.provider,
    providerTransactionId: row.provider_txn_id,
    bankBin: row.bank_bin,
    accountNumber: row.account_number,
    amount: Number(row.amount),
    content: row.content,
    transferredAt: row.transferred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    payerName: row.payer_name,
    payerAccount: row.payer_account,
    reference: row.reference,
  };
}

/** An event of the payment service through the outbox, traced with the request that caused it. */
export function paymentEvent<T>(type: string, key: string, data: T, at: Date): OutgoingEvent<T> {
  return {
    topic: Topics.paymentEvents,
    type,
    version: 1,
    key,
    traceId: currentRequestId() ?? newTraceId(),
    occurredAt: at,
    data,
  };
}

/** The outbox key of an unattributed transfer's events: received, then assigned or dismissed, in order. */
export const transferKey = (notificationId: string) => `transfer:${notificationId}`;

export interface PaymentToRecord {
  transfer: BankTransfer;
  merchantId: string;
  channel: PaymentChannel;
  outcome: PaymentOutcome;
  intent: {
    id: string;
    /** Its status after this payment. */
    status: IntentStatus;
    amount: number;
    paymentCode: string;
    orderRef: string | null;
  } | null;
  /** Publish the outcome's event (an officer's assignment publishes its own event instead). */
  publish: boolean;
}

const INSERT_PAYMENT = preparedStatement(
  'payment_insert_payment',
  `INSERT INTO payment (id, notification_id, merchant_id, channel, outcome, intent_id, amount, expected_amount,
                        payment_code, order_ref, payer_name, payer_account, transferred_at, recorded_at, data)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
);

/**
 * Records a payment for a merchant inside the caller's transaction: the `payment` row, the
 * outcome's event (key = merchant id), and the instant notice. Returns what was published.
 */
@Injectable()
export class PaymentRecorder {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly notices: PaymentNotices,
  ) {}

  async record(em: EntityManager, p: PaymentToRecord, now: Date): Promise<PaymentRecordedData> {
    const data: PaymentRecordedData = {
      paymentId: randomUUID(),
      merchantId: p.merchantId,
      channel: p.channel,
      outcome: p.outcome,
      intentId: p.intent?.id ?? null,
      intentStatus: p.intent?.status ?? null,
      expectedAmount: p.intent?.amount ?? null,
      paymentCode: p.intent?.paymentCode ?? null,
      orderRef: p.intent?.orderRef ?? null,
      transfer: p.transfer,
      recordedAt: now.toISOString(),
    };
    await runPrepared(em, INSERT_PAYMENT, [
      data.paymentId,
      p.transfer.notificationId,
      data.merchantId,
      data.channel,
      data.outcome,
      data.intentId,
      String(p.transfer.amount),
      data.expectedAmount === null ? null : String(data.expectedAmount),
      data.paymentCode,
      data.orderRef,
      p.transfer.payerName,
      p.transfer.payerAccount,
      p.transfer.transferredAt,
      now,
      JSON.stringify(data),
    ]);
    if (p.publish) {
      await this.outbox.append(em, [paymentEvent(paymentRecordedEventType[data.outcome], data.merchantId, data, now)]);
    }
    await this.notices.paymentRecorded(em, data);
    return data;
  }
}
