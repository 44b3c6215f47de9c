/**
 * The review workflow (PRODUCT.md §1). Only officers move a merchant:
 *
 *   pending ──approve──▶ active ──suspend──▶ suspended
 *      │                   ▲                    │
 *      └──reject──▶ rejected └─────reinstate────┘
 *   any status but closed ──close──▶ closed (final)
 *
 * Saying no to someone needs a reason they can be told and an auditor can read: reject, suspend
 * and close require one; approve and reinstate take an optional note.
 */
export type MerchantStatus = 'pending' | 'active' | 'rejected' | 'suspended' | 'closed';

export const MERCHANT_STATUSES: readonly MerchantStatus[] = ['pending', 'active', 'rejected', 'suspended', 'closed'];

export type ReviewAction = 'approve' | 'reject' | 'suspend' | 'reinstate' | 'close';

interface ActionRule {
  from: readonly MerchantStatus[];
  to: MerchantStatus;
  reasonRequired: boolean;
}

export const REVIEW_ACTIONS: Record<ReviewAction, ActionRule> = {
  approve: { from: ['pending'], to: 'active', reasonRequired: false },
  reject: { from: ['pending'], to: 'rejected', reasonRequired: true },
  suspend: { from: ['active'], to: 'suspended', reasonRequired: true },
  reinstate: { from: ['suspended'], to: 'active', reasonRequired: false },
  close: { from: ['pending', 'active', 'rejected', 'suspended'], to: 'closed', reasonRequired: true },
};

export type TransitionDecision =
  | { ok: true; from: MerchantStatus; to: MerchantStatus }
  | { ok: false; error: 'invalid_transition' | 'reason_required'; from: MerchantStatus };

/** What `action` does to a merchant in `status`, given the officer's reason (already trimmed). */
export function decideTransition(status: MerchantStatus, action: ReviewAction, reason?: string): TransitionDecision {
  const rule = REVIEW_ACTIONS[action];
  if (!rule.from.includes(status)) return { ok: false, error: 'invalid_transition', from: status };
  if (rule.reasonRequired && !reason) return { ok: false, error: 'reason_required', from: status };
  return { ok: true, from: status, to: rule.to };
}

/** The event each action publishes (`merchant.<past tense>`). */
export const ACTION_EVENT: Record<ReviewAction, string> = {
  approve: 'merchant.approved',
  reject: 'merchant.rejected',
  suspend: 'merchant.suspended',
  reinstate: 'merchant.reinstated',
  close: 'merchant.closed',
};
