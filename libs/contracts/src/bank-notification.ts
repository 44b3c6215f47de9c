import { z } from 'zod';

/** Largest amount a transfer may carry (exclusive), as for payment intents. */
export const TRANSFER_AMOUNT_LIMIT = 500_000_000;

/**
 * The canonical bank notification (`POST /api/v1/bank-notifications/generic`): one incoming
 * transfer as an account feed reports it. The sandbox bank sends exactly this; the SePay, Casso and
 * payOS adapters map their payloads to it. Signed with `X-Signature` (see signature.ts).
 */
export const canonicalBankNotificationSchema = z.object({
  /** The feed's transaction id: the dedupe key (with the provider). */
  id: z.string().trim().min(1).max(100),
  bankBin: z.string().regex(/^\d{6}$/),
  accountNumber: z.string().regex(/^[0-9A-Za-z]{1,19}$/),
  amount: z.number().int().positive().lt(TRANSFER_AMOUNT_LIMIT),
  /** The transfer content as the bank delivered it (may be mangled: see matching). */
  content: z.string().max(500),
  transferredAt: z.iso.datetime({ offset: true }),
  payerName: z.string().max(200).optional(),
  payerAccount: z.string().max(40).optional(),
  /** The bank's own reference (e.g. `FT25335…`), kept for reconciliation. */
  reference: z.string().max(100).optional(),
});

export type CanonicalBankNotification = z.infer<typeof canonicalBankNotificationSchema>;
