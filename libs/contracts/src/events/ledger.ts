import { z } from 'zod';
import { defineEvent } from '../event-catalog';
import { paymentChannelSchema } from './payment';

/**
 * Events of the ledger service on `ledger.events.v1`, key = merchant id when the transaction
 * concerns one merchant (so a merchant's postings stay in order), else the posting key.
 * Amounts are whole đồng as JSON integers (one entry is always < 500,000,000, so exact).
 */

/** Which posting rule produced a transaction. */
export const postingRuleSchema = z.enum([
  /** A transfer attributed to a merchant (dynamic or static QR): bank mirror ← merchant takings. */
  'payment_received',
  /** A transfer nobody could be credited with: bank mirror ← suspense. */
  'transfer_unattributed',
  /** An officer attributed a queued transfer: suspense ← merchant takings. */
  'transfer_assigned',
  /** An officer dismissed a queued transfer: suspense ← dismissed transfers. */
  'transfer_dismissed',
  /** The shop owner paid money back from their bank: merchant refunds ← bank mirror. */
  'refund',
  /** A compensating transaction: the entries of another transaction with sides swapped. */
  'reversal',
]);
export type PostingRule = z.infer<typeof postingRuleSchema>;

export const entrySideSchema = z.enum(['debit', 'credit']);
export type EntrySide = z.infer<typeof entrySideSchema>;

export const ledgerEntrySchema = z.object({
  /** Chart-of-accounts code, e.g. `bank:970436:0123456789`, `merchant:<id>:takings:static_qr`. */
  accountCode: z.string().min(1).max(200),
  side: entrySideSchema,
  amount: z.number().int().positive().max(499_999_999),
});
export type LedgerEntryData = z.infer<typeof ledgerEntrySchema>;

/** One balanced journal transaction as it was committed (sum of debits = sum of credits). */
export const transactionPostedSchema = z
  .object({
    transactionId: z.uuid(),
    /** Unique per transaction: the reason it exists (e.g. `receipt:<notificationId>`); posts once. */
    postingKey: z.string().min(1).max(200),
    rule: postingRuleSchema,
    /** The event that caused it (null for transactions recorded through the ledger's own API). */
    sourceEventId: z.uuid().nullable(),
    sourceEventType: z.string().min(1).max(100).nullable(),
    /** The refund request that caused it (rule `refund`). */
    refundId: z.uuid().nullable(),
    merchantId: z.uuid().nullable(),
    channel: paymentChannelSchema.nullable(),
    /** The payment record of the payment service this transaction concerns, if any. */
    paymentId: z.uuid().nullable(),
    entries: z.array(ledgerEntrySchema).min(2),
    /** When the money moved (e.g. the transfer's `transferredAt`): the time balances "as of" use. */
    effectiveAt: z.iso.datetime({ offset: true }),
    /** When the ledger committed it. */
    postedAt: z.iso.datetime({ offset: true }),
  })
  .refine(
    (t) =>
      t.entries.filter((e) => e.side === 'debit').reduce((s, e) => s + e.amount, 0) ===
      t.entries.filter((e) => e.side === 'credit').reduce((s, e) => s + e.amount, 0),
    { message: 'debits must equal credits', path: ['entries'] },
  );
export type TransactionPostedData = z.infer<typeof transactionPostedSchema>;

export const LedgerEventTypes = {
  transactionPosted: 'ledger.transaction_posted',
} as const;

export const ledgerEvents = [defineEvent(LedgerEventTypes.transactionPosted, 1, transactionPostedSchema)];
