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

/**
 * One incoming bank transfer as the payment service stored it (the canonical bank notification).
 * `notificationId` is the payment service's id of the stored notification: the ledger's
 * exactly-once key (one notification posts once, whatever event carries it).
 */
export const bankTransferSchema = z.object({
  notificationId: z.uuid(),
  provider: z.enum(['generic', 'sepay', 'casso', 'payos']),
  /** The provider's own transaction id (dedupe key together with `provider`). */
  providerTransactionId: z.string().min(1).max(100),
  bankBin: z.string().regex(/^\d{6}$/),
  accountNumber: z.string().min(1).max(19),
  amount: z.number().int().positive().max(499_999_999),
  content: z.string().max(500),
  transferredAt: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
  payerName: z.string().max(200).nullable(),
  payerAccount: z.string().max(40).nullable(),
  reference: z.string().max(100).nullable(),
});
export type BankTransfer = z.infer<typeof bankTransferSchema>;

/** How a transfer was attributed to a merchant. */
export const paymentChannelSchema = z.enum(['dynamic_qr', 'static_qr']);
export type PaymentChannel = z.infer<typeof paymentChannelSchema>;

/**
 * Outcome of a transfer attributed to a merchant: a payment record. `needs_review` = money arrived
 * for an intent that was expired, canceled or already settled (the shop owner decides; never lost).
 */
export const paymentOutcomeSchema = z.enum(['succeeded', 'underpaid', 'overpaid', 'needs_review', 'static']);
export type PaymentOutcome = z.infer<typeof paymentOutcomeSchema>;

/** A confirmed payment: a transfer attributed to one merchant (by intent code or by payout account). */
export const paymentRecordedSchema = z.object({
  paymentId: z.uuid(),
  merchantId: z.uuid(),
  channel: paymentChannelSchema,
  outcome: paymentOutcomeSchema,
  /** The intent the payment code named (dynamic QR), with its status after this transfer. */
  intentId: z.uuid().nullable(),
  intentStatus: paymentIntentStatusSchema.nullable(),
  /** What the intent asked for (dynamic QR), null for a static-QR payment. */
  expectedAmount: z.number().int().positive().max(499_999_999).nullable(),
  paymentCode: z.string().regex(/^[A-Z0-9]{1,19}$/).nullable(),
  orderRef: z.string().max(100).nullable(),
  transfer: bankTransferSchema,
  recordedAt: z.iso.datetime({ offset: true }),
});
export type PaymentRecordedData = z.infer<typeof paymentRecordedSchema>;

/** Why nobody could be credited with a transfer. */
export const unattributedReasonSchema = z.enum([
  /** No payment code of ours and the account is not a registered payout account. */
  'unknown_account',
  /** A payment code names an intent, but the money went to an account of another merchant. */
  'account_mismatch',
  /** No usable code and the account is registered to more than one merchant. */
  'shared_account',
]);

/** A transfer the platform could not attribute; it waits in the officers' queue. Key = `transfer:<notificationId>`. */
export const unattributedTransferReceivedSchema = z.object({
  unattributedId: z.uuid(),
  reason: unattributedReasonSchema,
  transfer: bankTransferSchema,
  recordedAt: z.iso.datetime({ offset: true }),
});
export type UnattributedTransferReceivedData = z.infer<typeof unattributedTransferReceivedSchema>;

/** An officer attributed a queued transfer to a merchant (same key as the received event, so it follows it). */
export const unattributedTransferAssignedSchema = z.object({
  unattributedId: z.uuid(),
  /** The payment record created for the merchant (its `payment.static_payment_received` is not published again). */
  paymentId: z.uuid(),
  merchantId: z.uuid(),
  officer: z.string().min(1).max(100),
  note: z.string().max(500).nullable(),
  transfer: bankTransferSchema,
  assignedAt: z.iso.datetime({ offset: true }),
});
export type UnattributedTransferAssignedData = z.infer<typeof unattributedTransferAssignedSchema>;

/** An officer dismissed a queued transfer (e.g. a test transfer, or refunded outside the platform). */
export const unattributedTransferDismissedSchema = z.object({
  unattributedId: z.uuid(),
  officer: z.string().min(1).max(100),
  reason: z.string().min(1).max(500),
  transfer: bankTransferSchema,
  dismissedAt: z.iso.datetime({ offset: true }),
});
export type UnattributedTransferDismissedData = z.infer<typeof unattributedTransferDismissedSchema>;

export type PaymentIntentCreatedData = z.infer<typeof paymentIntentCreatedSchema>;
export type PaymentIntentCanceledData = z.infer<typeof paymentIntentCanceledSchema>;
export type PaymentIntentExpiredData = z.infer<typeof paymentIntentExpiredSchema>;

export const PaymentEventTypes = {
  intentCreated: 'payment.intent_created',
  intentCanceled: 'payment.intent_canceled',
  intentExpired: 'payment.intent_expired',
  /** Payment code matched, amount equal: the intent is paid. */
  intentSucceeded: 'payment.intent_succeeded',
  intentUnderpaid: 'payment.intent_underpaid',
  intentOverpaid: 'payment.intent_overpaid',
  /** Money for an expired, canceled or already settled intent: recorded for the merchant, flagged. */
  paymentNeedsReview: 'payment.payment_needs_review',
  /** No payment code, but the money landed in a registered payout account: a static-QR payment. */
  staticPaymentReceived: 'payment.static_payment_received',
  unattributedTransferReceived: 'payment.unattributed_transfer_received',
  unattributedTransferAssigned: 'payment.unattributed_transfer_assigned',
  unattributedTransferDismissed: 'payment.unattributed_transfer_dismissed',
} as const;

/** The event type announcing a payment record of each outcome. */
export const paymentRecordedEventType: Record<PaymentOutcome, string> = {
  succeeded: PaymentEventTypes.intentSucceeded,
  underpaid: PaymentEventTypes.intentUnderpaid,
  overpaid: PaymentEventTypes.intentOverpaid,
  needs_review: PaymentEventTypes.paymentNeedsReview,
  static: PaymentEventTypes.staticPaymentReceived,
};

export const paymentEvents = [
  defineEvent(PaymentEventTypes.intentCreated, 1, paymentIntentCreatedSchema),
  defineEvent(PaymentEventTypes.intentCanceled, 1, paymentIntentCanceledSchema),
  defineEvent(PaymentEventTypes.intentExpired, 1, paymentIntentExpiredSchema),
  defineEvent(PaymentEventTypes.intentSucceeded, 1, paymentRecordedSchema),
  defineEvent(PaymentEventTypes.intentUnderpaid, 1, paymentRecordedSchema),
  defineEvent(PaymentEventTypes.intentOverpaid, 1, paymentRecordedSchema),
  defineEvent(PaymentEventTypes.paymentNeedsReview, 1, paymentRecordedSchema),
  defineEvent(PaymentEventTypes.staticPaymentReceived, 1, paymentRecordedSchema),
  defineEvent(PaymentEventTypes.unattributedTransferReceived, 1, unattributedTransferReceivedSchema),
  defineEvent(PaymentEventTypes.unattributedTransferAssigned, 1, unattributedTransferAssignedSchema),
  defineEvent(PaymentEventTypes.unattributedTransferDismissed, 1, unattributedTransferDismissedSchema),
];
