import { z } from 'zod';
import { defineEvent } from '../event-catalog';

/**
 * Events of the merchant service on `merchant.events.v1`, key = merchant id. Each carries the
 * merchant as it is after the change, so a consumer needs no earlier event to act:
 * payment keeps active merchants and their payout accounts, analytics counts by street, ward,
 * category and date. Owner name, phone numbers and tax ids never leave the merchant service.
 */
export const merchantStatusSchema = z.enum(['pending', 'active', 'rejected', 'suspended', 'closed']);

export const payoutAccountEventSchema = z.object({
  bankBin: z.string().regex(/^\d{6}$/),
  accountNumber: z.string().regex(/^\d{6,19}$/),
  /** As the bank shows it: ASCII upper case. */
  accountName: z.string().min(1).max(50),
});

const merchantSnapshot = {
  merchantId: z.uuid(),
  status: merchantStatusSchema,
  shopName: z.string().min(1).max(200),
  category: z.string().min(1).max(40),
  streetId: z.uuid(),
  /** The street's ward when the event happened (administrative units are dated). */
  wardId: z.uuid().nullable(),
  registeredAt: z.iso.datetime({ offset: true }),
  /** The accounts payments go to: active ones only (deactivated accounts are left out). */
  payoutAccounts: z.array(payoutAccountEventSchema).min(1),
};

export const merchantRegisteredSchema = z.object(merchantSnapshot);

export const merchantStatusChangedSchema = z.object({
  ...merchantSnapshot,
  previousStatus: merchantStatusSchema,
  changedAt: z.iso.datetime({ offset: true }),
  /** The officer who made the change (id only; the audit log has the rest). */
  changedBy: z.string().min(1).max(100),
});

/** One payout account with its id and whether it still receives payments. */
export const payoutAccountStateSchema = payoutAccountEventSchema.extend({
  id: z.uuid(),
  active: z.boolean(),
});

/**
 * A payout account added, or changed (holder name, deactivated or reactivated), after
 * registration. `account` is the one that changed; `payoutAccounts` is every account the merchant
 * receives payments on after the change (active ones), and `status` the merchant's status, so the
 * payment service can replace its read model for this merchant from this event alone, whatever
 * order it sees changes in across merchants. Matching an incoming transfer is by
 * `(bankBin, accountNumber)` among active accounts of active merchants; an inactive account must
 * stop matching.
 */
export const merchantPayoutAccountSchema = z.object({
  merchantId: z.uuid(),
  status: merchantStatusSchema,
  account: payoutAccountStateSchema,
  payoutAccounts: z.array(payoutAccountStateSchema).min(1),
  occurredAt: z.iso.datetime({ offset: true }),
});

/**
 * A member of the public reported a board (QR swapped or covered, payee name not the shop's,
 * damaged board…). For officers' follow-up and analytics; the reporter's contact, note and
 * address never leave the merchant service.
 */
export const boardReportReasonSchema = z.enum(['qr_swapped', 'name_mismatch', 'board_damaged', 'other']);

export const merchantBoardReportedSchema = z.object({
  reportId: z.uuid(),
  merchantId: z.uuid(),
  /** The merchant's status when the report came in. */
  status: merchantStatusSchema,
  boardCode: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{8}$/),
  payoutAccountId: z.uuid(),
  bankBin: z.string().regex(/^\d{6}$/),
  reason: boardReportReasonSchema,
  streetId: z.uuid(),
  reportedAt: z.iso.datetime({ offset: true }),
});

export type MerchantRegisteredData = z.infer<typeof merchantRegisteredSchema>;
export type MerchantStatusChangedData = z.infer<typeof merchantStatusChangedSchema>;
export type MerchantPayoutAccountData = z.infer<typeof merchantPayoutAccountSchema>;
export type MerchantBoardReportedData = z.infer<typeof merchantBoardReportedSchema>;

export const MerchantEventTypes = {
  registered: 'merchant.registered',
  approved: 'merchant.approved',
  rejected: 'merchant.rejected',
  suspended: 'merchant.suspended',
  reinstated: 'merchant.reinstated',
  closed: 'merchant.closed',
  payoutAccountAdded: 'merchant.payout_account_added',
  payoutAccountChanged: 'merchant.payout_account_changed',
  boardReported: 'merchant.board_reported',
} as const;

export const merchantEvents = [
  defineEvent(MerchantEventTypes.registered, 1, merchantRegisteredSchema),
  defineEvent(MerchantEventTypes.approved, 1, merchantStatusChangedSchema),
  defineEvent(MerchantEventTypes.rejected, 1, merchantStatusChangedSchema),
  defineEvent(MerchantEventTypes.suspended, 1, merchantStatusChangedSchema),
  defineEvent(MerchantEventTypes.reinstated, 1, merchantStatusChangedSchema),
  defineEvent(MerchantEventTypes.closed, 1, merchantStatusChangedSchema),
  defineEvent(MerchantEventTypes.payoutAccountAdded, 1, merchantPayoutAccountSchema),
  defineEvent(MerchantEventTypes.payoutAccountChanged, 1, merchantPayoutAccountSchema),
  defineEvent(MerchantEventTypes.boardReported, 1, merchantBoardReportedSchema),
];
