import { describe, expect, it } from '@jest/globals';
import { decideAccountChange } from './payout-account-rules';

const active = { accountName: 'NGUYEN VAN DUC', active: true };
const ctx = (activeCount: number) => ({ activeCount, max: 5 });

describe('payout account changes', () => {
  it('a new holder name or deactivation is a change', () => {
    expect(decideAccountChange(active, { accountName: 'NGUYEN VAN D' }, ctx(1))).toEqual({
      kind: 'change',
      set: { accountName: 'NGUYEN VAN D', active: true },
    });
    expect(decideAccountChange(active, { active: false }, ctx(2))).toEqual({
      kind: 'change',
      set: { accountName: 'NGUYEN VAN DUC', active: false },
    });
  });

  it('the same values are no change (no event, no audit entry)', () => {
    expect(decideAccountChange(active, { accountName: 'NGUYEN VAN DUC', active: true }, ctx(1))).toEqual({
      kind: 'unchanged',
    });
  });

  it('the last active account stays active; reactivation respects the maximum', () => {
    expect(decideAccountChange(active, { active: false }, ctx(1))).toEqual({ kind: 'last_active' });
    expect(decideAccountChange({ ...active, active: false }, { active: true }, ctx(5))).toEqual({ kind: 'too_many' });
    expect(decideAccountChange({ ...active, active: false }, { active: true }, ctx(4))).toMatchObject({
      kind: 'change',
    });
    // Renaming an inactive account while at the maximum is fine: it does not become active.
    expect(decideAccountChange({ ...active, active: false }, { accountName: 'X Y' }, ctx(5))).toMatchObject({
      kind: 'change',
    });
  });
});
