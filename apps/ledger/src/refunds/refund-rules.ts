import type { PaymentChannel } from '@cashless/contracts';
import { bankAccount, refundsAccount } from '../journal/accounts';
import type { Account } from '../journal/accounts';
import { ProposedTransaction, assertBalanced, instant } from '../journal/transaction';

/** The merchant's receipt a refund pays back: what the ledger credited them for one transfer. */
export interface RefundableReceipt {
  merchantId: string;
  channel: PaymentChannel | null;
  paymentId: string | null;
  notificationId: string;
  /** The payout account the money arrived in (`bank:<bin>:<account>`), where it leaves from again. */
  bankAccountCode: string;
  /** What the merchant was credited. */
  received: bigint;
  /** What earlier refunds of this receipt already paid back. */
  refunded: bigint;
}

export type RefundDecision = { ok: true; remaining: bigint } | { ok: false; remaining: bigint };

/** A refund may not exceed what was received for the payment minus the earlier refunds. */
export function decideRefund(
  receipt: Pick<RefundableReceipt, 'received' | 'refunded'>,
  amount: bigint,
): RefundDecision {
  const remaining = receipt.received - receipt.refunded;
  return amount > 0n && amount <= remaining ? { ok: true, remaining: remaining - amount } : { ok: false, remaining };
}

/**
 * The shop owner paid money back from their own bank account: it leaves the payout account's
 * mirror and counts against the merchant's takings (the refunds account is contra-takings).
 */
export function refundPosting(
  receipt: RefundableReceipt,
  refund: { refundId: string; amount: bigint; reason: string; requestedBy: string; refundedAt: string | Date },
): ProposedTransaction {
  const tx: ProposedTransaction = {
    postingKey: `refund:${refund.refundId}`,
    rule: 'refund',
    source: { refundId: refund.refundId },
    merchantId: receipt.merchantId,
    channel: receipt.channel,
    paymentId: receipt.paymentId,
    notificationId: receipt.notificationId,
    effectiveAt: instant(refund.refundedAt),
    memo: { reason: refund.reason, requestedBy: refund.requestedBy },
    entries: [
      { account: refundsAccount(receipt.merchantId), side: 'debit', amount: refund.amount },
      { account: bankAccountFromCode(receipt.bankAccountCode), side: 'credit', amount: refund.amount },
    ],
  };
  assertBalanced(tx);
  return tx;
}

export function bankAccountFromCode(code: string): Account {
  const match = /^bank:(\d{6}):(.+)$/.exec(code);
  if (!match) throw new Error(`Not a bank account code: ${code}`);
  return bankAccount(match[1], match[2]);
}
