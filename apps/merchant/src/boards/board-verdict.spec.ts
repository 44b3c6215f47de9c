import { describe, expect, it } from '@jest/globals';
import { MERCHANT_STATUSES } from '../merchants/merchant-status';
import { VERDICT_MESSAGES, decideVerdict } from './board-verdict';

describe('board verdicts', () => {
  it('genuine only for an active merchant and an account in use', () => {
    expect(decideVerdict({ merchantStatus: 'active', accountActive: true })).toBe('genuine');
    expect(decideVerdict({ merchantStatus: 'active', accountActive: false })).toBe('inactive');
    for (const status of MERCHANT_STATUSES.filter((s) => s !== 'active')) {
      expect(decideVerdict({ merchantStatus: status, accountActive: true })).toBe('inactive');
    }
  });

  it('unknown when nothing registered matches', () => {
    expect(decideVerdict(null)).toBe('unknown');
  });

  it('every verdict has a message in both languages, and only a genuine one invites payment', () => {
    for (const message of Object.values(VERDICT_MESSAGES)) {
      expect(message.vi.length).toBeGreaterThan(20);
      expect(message.en.length).toBeGreaterThan(20);
    }
    expect(VERDICT_MESSAGES.unknown.vi).toContain('không chuyển tiền');
    expect(VERDICT_MESSAGES.inactive.en).toContain('Do not pay');
  });
});
