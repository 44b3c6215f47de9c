import { signatureOf } from '@cashless/contracts';
import type { PaymentRecordedData } from '@cashless/contracts';
import { noticeOf } from './payment-notice';
import type { PaymentNotice } from './payment-notice';

/** Event types a merchant webhook receives. */
export const WebhookEventTypes = {
  paymentRecorded: 'payment.recorded',
  /** Sent on request from the settings page, to check the receiver and its signature check. */
  test: 'webhook.test',
} as const;
export type WebhookEventType = (typeof WebhookEventTypes)[keyof typeof WebhookEventTypes];

export interface PaymentRecordedWebhookData extends PaymentNotice {
  /** The transfer as the bank feed reported it, for the merchant's own reconciliation. */
  transfer: {
    bankBin: string;
    accountNumber: string;
    content: string;
    reference: string | null;
    payerAccount: string | null;
  };
}

export interface WebhookEvent<T> {
  /** Same on every attempt of one delivery: receivers dedupe on it (also sent as `X-Webhook-Id`). */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: T;
}

/** The raw body of a `payment.recorded` webhook: serialised once, so every attempt sends the same bytes. */
export function paymentRecordedBody(id: string, payment: PaymentRecordedData, createdAt: Date): string {
  const { bankBin, accountNumber, content, reference, payerAccount } = payment.transfer;
  const event: WebhookEvent<PaymentRecordedWebhookData> = {
    id,
    type: WebhookEventTypes.paymentRecorded,
    createdAt: createdAt.toISOString(),
    data: { ...noticeOf(payment), transfer: { bankBin, accountNumber, content, reference, payerAccount } },
  };
  return JSON.stringify(event);
}

export function testEventBody(id: string, merchantId: string, createdAt: Date): string {
  const event: WebhookEvent<{ merchantId: string; message: string }> = {
    id,
    type: WebhookEventTypes.test,
    createdAt: createdAt.toISOString(),
    data: { merchantId, message: 'Webhook test from Cashless Street / Thử webhook từ Cashless Street' },
  };
  return JSON.stringify(event);
}

/**
 * `X-Signature` for a body, with one `v1` per secret still valid (the current one first, then the
 * one before a rotation), as the canonical bank notification is signed. Receivers accept any `v1`.
 */
export function webhookSignatureHeader(secrets: readonly string[], rawBody: string, timestamp: number): string {
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, rawBody)}`)].join(',');
}
