import { describe, expect, it } from '@jest/globals';
import { createEnvelope } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { isNewer, latestPerMerchant, snapshotOf } from './merchant-snapshot';

const merchantId = '0193a5a0-0000-7000-8000-000000000001';
const account = { bankBin: '970436', accountNumber: '0071001234567', accountName: 'NGUYEN VAN A' };
const base = {
  merchantId,
  shopName: 'Pho',
  category: 'food_drink',
  streetId: '0193a5a0-0000-7000-8000-0000000000aa',
  wardId: null,
  registeredAt: '2026-11-26T08:00:00.000Z',
  payoutAccounts: [account],
};

function event(type: string, data: unknown, at: string): EventEnvelope {
  return createEnvelope({ type, version: 1, key: merchantId, traceId: 't', data, occurredAt: new Date(at) });
}

describe('merchant snapshot', () => {
  it('takes status and accounts from registration and status changes', () => {
    const e = event(
      'merchant.approved',
      { ...base, status: 'active', previousStatus: 'pending', changedAt: 'x', changedBy: 'admin' },
      '2026-11-26T09:00:00Z',
    );
    expect(snapshotOf(e)).toMatchObject({ merchantId, status: 'active', payoutAccounts: [account], versionId: e.id });
  });

  it('keeps only active accounts from payout account events', () => {
    const e = event(
      'merchant.payout_account_changed',
      {
        merchantId,
        status: 'active',
        account: { ...account, id: merchantId, active: false },
        payoutAccounts: [
          { ...account, id: merchantId, active: false },
          { ...account, accountNumber: '222222', id: merchantId, active: true },
        ],
        occurredAt: '2026-11-26T09:00:00Z',
      },
      '2026-11-26T09:00:00Z',
    );
    expect(snapshotOf(e)?.payoutAccounts).toEqual([{ ...account, accountNumber: '222222' }]);
  });

  it('ignores board reports', () => {
    expect(snapshotOf(event('merchant.board_reported', {}, '2026-11-26T09:00:00Z'))).toBeNull();
  });

  it('orders by occurredAt, then event id', () => {
    expect(
      isNewer(
        { versionAt: '2026-11-26T09:00:01Z', versionId: 'a' },
        { versionAt: '2026-11-26T09:00:00Z', versionId: 'b' },
      ),
    ).toBe(true);
    expect(
      isNewer(
        { versionAt: '2026-11-26T09:00:00Z', versionId: 'b' },
        { versionAt: '2026-11-26T09:00:00.000Z', versionId: 'a' },
      ),
    ).toBe(true);
    expect(
      isNewer(
        { versionAt: '2026-11-26T09:00:00Z', versionId: 'a' },
        { versionAt: '2026-11-26T09:00:00Z', versionId: 'a' },
      ),
    ).toBe(false);
  });

  it('keeps the latest per merchant within a chunk, whatever the arrival order', () => {
    const suspended = event(
      'merchant.suspended',
      { ...base, status: 'suspended', previousStatus: 'active', changedAt: 'x', changedBy: 'a' },
      '2026-11-26T10:00:00Z',
    );
    const approved = event(
      'merchant.approved',
      { ...base, status: 'active', previousStatus: 'pending', changedAt: 'x', changedBy: 'a' },
      '2026-11-26T09:00:00Z',
    );
    expect(latestPerMerchant([suspended, approved]).map((s) => s.status)).toEqual(['suspended']);
    expect(latestPerMerchant([approved, suspended]).map((s) => s.status)).toEqual(['suspended']);
  });
});
