import { describe, expect, it } from '@jest/globals';
import { MERCHANT_STATUSES, MerchantStatus, REVIEW_ACTIONS, ReviewAction, decideTransition } from './merchant-status';

describe('merchant review workflow', () => {
  it('an officer approves a pending shop', () => {
    expect(decideTransition('pending', 'approve')).toEqual({ ok: true, from: 'pending', to: 'active' });
  });

  it('rejecting a pending shop needs a reason', () => {
    expect(decideTransition('pending', 'reject')).toEqual({ ok: false, error: 'reason_required', from: 'pending' });
    expect(decideTransition('pending', 'reject', 'Sai số tài khoản')).toEqual({
      ok: true,
      from: 'pending',
      to: 'rejected',
    });
  });

  it('an active shop is suspended with a reason and reinstated without one', () => {
    expect(decideTransition('active', 'suspend')).toMatchObject({ ok: false, error: 'reason_required' });
    expect(decideTransition('active', 'suspend', 'Báo cáo mã QR giả')).toMatchObject({ ok: true, to: 'suspended' });
    expect(decideTransition('suspended', 'reinstate')).toMatchObject({ ok: true, to: 'active' });
  });

  it('any shop that is not closed can be closed, with a reason; closed is final', () => {
    for (const status of ['pending', 'active', 'rejected', 'suspended'] as MerchantStatus[]) {
      expect(decideTransition(status, 'close', 'Ngừng kinh doanh')).toMatchObject({ ok: true, to: 'closed' });
      expect(decideTransition(status, 'close')).toMatchObject({ ok: false, error: 'reason_required' });
    }
    for (const action of Object.keys(REVIEW_ACTIONS) as ReviewAction[]) {
      expect(decideTransition('closed', action, 'reason')).toMatchObject({ ok: false, error: 'invalid_transition' });
    }
  });

  it('a second officer approving an already approved shop is refused (the race has one winner)', () => {
    expect(decideTransition('active', 'approve')).toEqual({ ok: false, error: 'invalid_transition', from: 'active' });
    expect(decideTransition('rejected', 'approve')).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('allows exactly the transitions of the diagram', () => {
    const allowed: string[] = [];
    for (const status of MERCHANT_STATUSES) {
      for (const action of Object.keys(REVIEW_ACTIONS) as ReviewAction[]) {
        const d = decideTransition(status, action, 'a reason');
        if (d.ok) allowed.push(`${status} -${action}-> ${d.to}`);
      }
    }
    expect(allowed.sort()).toEqual(
      [
        'pending -approve-> active',
        'pending -reject-> rejected',
        'pending -close-> closed',
        'active -suspend-> suspended',
        'active -close-> closed',
        'rejected -close-> closed',
        'suspended -reinstate-> active',
        'suspended -close-> closed',
      ].sort(),
    );
  });
});
