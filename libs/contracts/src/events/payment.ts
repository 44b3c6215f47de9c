import { z } from 'zod';
import { defineEvent } from '../event-catalog';

/**
 * Events of the payment service on `payment.events.v1`, key = merchant id (so one merchant's
 * intents stay in order). Amounts are whole đồng as JSON integers (always < 500,000,000, so exact).
 */
export const paymentIntentStatusSchema = z.enum([
  'requires_payment',
  'succeeded',
  'underpaid',
  'overpaid',
  'expired',
  'canceled',
  'needs_review',
]);

const intentSnapshot = {
  intentId: z.uuid(),
  merchantId: z.uuid(),
  status: paymentIntentStatusSchema,
  amount: z.number().int().positive().max(499_999_999),
  paymentCode: z.string().regex(/^[A-Z0-9]{1,19}$/),
  orderRef: z.string().max(100).nullable(),
  expiresAt: z.iso.datetime({ offset: true }),
};

export const paymentIntentCreatedSchema = z.object({
  ...intentSnapshot,
  /** The payout account the QR pays into. */
  bankBin: z.string().regex(/^\d{6}$/),
  accountNumber: z.string().min(1).max(19),
  createdAt: z.iso.datetime({ offset: true }),
});

export const paymentIntentCanceledSchema = z.object({
  ...intentSnapshot,
  canceledAt: z.iso.datetime({ offset: true }),
});

export const paymentIntentExpiredSchema = z.object({
  ...intentSnapshot,
  expiredAt: z.iso.datetime({ offset: true }),
});

export type PaymentIntentCreatedData = z.infer<typeof paymentIntentCreatedSchema>;
export type PaymentIntentCanceledData = z.infer<typeof paymentIntentCanceledSchema>;
export type PaymentIntentExpiredData = z.infer<typeof paymentIntentExpiredSchema>;

export const PaymentEventTypes = {
  intentCreated: 'payment.intent_created',
  intentCanceled: 'payment.intent_canceled',
  intentExpired: 'payment.intent_expired',
} as const;

export const paymentEvents = [
  defineEvent(PaymentEventTypes.intentCreated, 1, paymentIntentCreatedSchema),
  defineEvent(PaymentEventTypes.intentCanceled, 1, paymentIntentCanceledSchema),
  defineEvent(PaymentEventTypes.intentExpired, 1, paymentIntentExpiredSchema),
];
