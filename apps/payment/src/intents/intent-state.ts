import { paymentIntentStatusSchema } from '@cashless/contracts';
/** Statuses of a payment intent: the contract's list, one source for API, events and rules. */
export const INTENT_STATUSES = paymentIntentStatusSchema.options;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

/** What can happen to an intent besides a payment (see `applyPayment`). */
export type IntentAction = 'cancel' | 'expire';

export type Transition = { ok: true; to: IntentStatus } | { ok: false; reason: 'not_open' | 'not_due' };

/**
 * The state machine, pure: only an intent waiting for payment can be canceled or expire; it expires
 * only once `now` has reached `expiresAt`, and cannot be canceled after that (it is expired, even if
 * the periodic job has not marked it yet).
 */
export function transition(
  intent: { status: IntentStatus; expiresAt: Date },
  action: IntentAction,
  now: Date,
): Transition {
  if (intent.status !== 'requires_payment') return { ok: false, reason: 'not_open' };
  const due = now.getTime() >= intent.expiresAt.getTime();
  if (action === 'expire') return due ? { ok: true, to: 'expired' } : { ok: false, reason: 'not_due' };
  return due ? { ok: true, to: 'expired' } : { ok: true, to: 'canceled' };
}

/** No longer waiting for its first payment (an `underpaid` intent still adds up further transfers: `applyPayment`). */
export function isTerminal(status: IntentStatus): boolean {
  return status !== 'requires_payment';
}

/** What a payment did to the intent its code named. */
export type IntentPaymentOutcome = 'succeeded' | 'underpaid' | 'overpaid' | 'needs_review';

export interface AppliedPayment {
  outcome: IntentPaymentOutcome;
  /** The intent's status after the payment (unchanged for a settled intent). */
  to: IntentStatus;
  /** True when the amount counts toward the intent's total (not a `needs_review` payment). */
  counted: boolean;
}

/**
 * A transfer for an intent, pure. While the intent is open (`requires_payment`, or `underpaid`
 * adding up) and not past its expiry, the total received so far plus this amount decides:
 * equal → `succeeded`, less → `underpaid`, more → `overpaid`. Otherwise the money is recorded as
 * `needs_review`, never lost: an intent that was still unsettled (expired, canceled, or open past
 * its expiry before the job marked it) becomes `needs_review`; a settled one (succeeded, overpaid,
 * needs_review) keeps its status.
 */
export function applyPayment(
  intent: { status: IntentStatus; expiresAt: Date; amount: number; received: number },
  amount: number,
  now: Date,
): AppliedPayment {
  const open = intent.status === 'requires_payment' || intent.status === 'underpaid';
  if (open && now.getTime() < intent.expiresAt.getTime()) {
    const total = intent.received + amount;
    const outcome = total === intent.amount ? 'succeeded' : total < intent.amount ? 'underpaid' : 'overpaid';
    return { outcome, to: outcome, counted: true };
  }
  const settled = intent.status === 'succeeded' || intent.status === 'overpaid' || intent.status === 'needs_review';
  return { outcome: 'needs_review', to: settled ? intent.status : 'needs_review', counted: false };
}
