import { describe, expect, it } from '@jest/globals';
import { INTENT_STATUSES, applyPayment, isTerminal, transition } from './intent-state';

const now = new Date('2026-11-26T10:00:00Z');
const later = new Date('2026-11-26T10:15:00Z');
const earlier = new Date('2026-11-26T09:45:00Z');

describe('intent state machine', () => {
  it('cancels an open intent before its expiry', () => {
    expect(transition({ status: 'requires_payment', expiresAt: later }, 'cancel', now)).toEqual({
      ok: true,
      to: 'canceled',
    });
  });

  it('expires an open intent at or after its expiry, not before', () => {
    expect(transition({ status: 'requires_payment', expiresAt: now }, 'expire', now)).toEqual({
      ok: true,
      to: 'expired',
    });
    expect(transition({ status: 'requires_payment', expiresAt: earlier }, 'expire', now)).toEqual({
      ok: true,
      to: 'expired',
    });
    expect(transition({ status: 'requires_payment', expiresAt: later }, 'expire', now)).toEqual({
      ok: false,
      reason: 'not_due',
    });
  });

  it('turns a cancel after the expiry into expiry', () => {
    expect(transition({ status: 'requires_payment', expiresAt: earlier }, 'cancel', now)).toEqual({
      ok: true,
      to: 'expired',
    });
  });

  it('changes nothing once an intent left requires_payment', () => {
    for (const status of INTENT_STATUSES.filter((s) => s !== 'requires_payment')) {
      expect(isTerminal(status)).toBe(true);
      expect(transition({ status, expiresAt: later }, 'cancel', now)).toEqual({ ok: false, reason: 'not_open' });
      expect(transition({ status, expiresAt: earlier }, 'expire', now)).toEqual({ ok: false, reason: 'not_open' });
    }
    expect(isTerminal('requires_payment')).toBe(false);
  });
});

describe('payments applied to an intent', () => {
  const open = { status: 'requires_payment' as const, expiresAt: later, amount: 50_000, received: 0 };

  it('decides by the total received while open: equal, less, more', () => {
    expect(applyPayment(open, 50_000, now)).toEqual({ outcome: 'succeeded', to: 'succeeded', counted: true });
    expect(applyPayment(open, 20_000, now)).toEqual({ outcome: 'underpaid', to: 'underpaid', counted: true });
    expect(applyPayment(open, 60_000, now)).toEqual({ outcome: 'overpaid', to: 'overpaid', counted: true });
  });

  it('adds further transfers to an underpaid intent', () => {
    const underpaid = { ...open, status: 'underpaid' as const, received: 20_000 };
    expect(applyPayment(underpaid, 30_000, now).to).toBe('succeeded');
    expect(applyPayment(underpaid, 10_000, now).to).toBe('underpaid');
    expect(applyPayment(underpaid, 40_000, now).to).toBe('overpaid');
  });

  it('flags money for an unsettled intent after expiry or cancel: the intent becomes needs_review', () => {
    for (const status of ['expired', 'canceled'] as const) {
      expect(applyPayment({ ...open, status }, 50_000, now)).toEqual({
        outcome: 'needs_review',
        to: 'needs_review',
        counted: false,
      });
    }
    expect(applyPayment({ ...open, expiresAt: now }, 50_000, now).to).toBe('needs_review');
    expect(applyPayment({ ...open, status: 'underpaid', received: 1, expiresAt: earlier }, 1, now).to).toBe(
      'needs_review',
    );
  });

  it('flags money for a settled intent, which keeps its status', () => {
    for (const status of ['succeeded', 'overpaid', 'needs_review'] as const) {
      expect(applyPayment({ ...open, status, received: 50_000 }, 50_000, now)).toEqual({
        outcome: 'needs_review',
        to: status,
        counted: false,
      });
    }
  });

  it('covers every status', () => {
    for (const status of INTENT_STATUSES) {
      const applied = applyPayment({ ...open, status }, 50_000, now);
      expect(INTENT_STATUSES).toContain(applied.to);
    }
  });
});
