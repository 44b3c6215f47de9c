import { describe, expect, it } from '@jest/globals';
import { INTENT_STATUSES, isTerminal, transition } from './intent-state';

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
