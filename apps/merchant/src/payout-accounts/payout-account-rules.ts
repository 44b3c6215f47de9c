/**
 * What a change to a payout account does (pure): a new holder name (already normalised), and/or
 * active on or off. A merchant always keeps one active account (payments need somewhere to go,
 * events carry at least one), and never more active ones than registration allows.
 */
export interface PayoutAccountChange {
  accountName?: string;
  active?: boolean;
}

export type AccountChangeDecision =
  | { kind: 'unchanged' }
  | { kind: 'last_active' }
  | { kind: 'too_many' }
  | { kind: 'change'; set: { accountName: string; active: boolean } };

export function decideAccountChange(
  current: { accountName: string; active: boolean },
  change: PayoutAccountChange,
  context: { activeCount: number; max: number },
): AccountChangeDecision {
  const next = { accountName: change.accountName ?? current.accountName, active: change.active ?? current.active };
  if (next.accountName === current.accountName && next.active === current.active) return { kind: 'unchanged' };
  if (current.active && !next.active && context.activeCount <= 1) return { kind: 'last_active' };
  if (!current.active && next.active && context.activeCount >= context.max) return { kind: 'too_many' };
  return { kind: 'change', set: next };
}
