import { paymentIntentStatusSchema } from '@cashless/contracts';
/** Statuses of a payment intent: the contract's list, one source for API, events and rules. */
export const INTENT_STATUSES = paymentIntentStatusSchema.options;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

/** What can happen to an intent. Payment outcomes come with matching (later). */
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

export function isTerminal(status: IntentStatus): boolean {
  return status !== 'requires_payment';
}
