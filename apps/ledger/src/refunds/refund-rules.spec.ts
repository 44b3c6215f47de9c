import { describe, expect, it } from '@jest/globals';
import { decideRefund, refundPosting } from './refund-rules';

const receipt = {
  merchantId: '0190a5c4-1111-7000-8000-000000000001',
  channel: 'dynamic_qr' as const,
  paymentId: '0190a5c4-2222-7000-8000-000000000001',
  notificationId: '0190a5c4-3333-7000-8000-000000000001',
  bankAccountCode: 'bank:970436:0011001234567',
  received: 100_000n,
  refunded: 30_000n,
};

describe('refund rules', () => {
  it('allows refunds up to what was received minus earlier refunds', () => {
    expect(decideRefund(receipt, 70_000n)).toEqual({ ok: true, remaining: 0n });
    expect(decideRefund(receipt, 20_000n)).toEqual({ ok: true, remaining: 50_000n });
    expect(decideRefund(receipt, 70_001n)).toEqual({ ok: false, remaining: 70_000n });
    expect(decideRefund({ received: 100n, refunded: 100n }, 1n)).toEqual({ ok: false, remaining: 0n });
  });

  it('moves the refunded money out of the payout account, against the merchant’s refunds', () => {
    const tx = refundPosting(receipt, {
      refundId: '0190a5c4-4444-7000-8000-000000000001',
      amount: 20_000n,
      reason: 'returned goods',
      requestedBy: 'officer:admin',
      refundedAt: '2026-11-27T08:00:00+07:00',
    });
    expect(tx).toMatchObject({
      postingKey: 'refund:0190a5c4-4444-7000-8000-000000000001',
      rule: 'refund',
      merchantId: receipt.merchantId,
      effectiveAt: '2026-11-27T01:00:00.000Z',
      memo: { reason: 'returned goods', requestedBy: 'officer:admin' },
    });
    expect(tx.entries.map((e) => `${e.side} ${e.account.code} ${e.amount}`)).toEqual([
      `debit merchant:${receipt.merchantId}:refunds 20000`,
      'credit bank:970436:0011001234567 20000',
    ]);
  });
});
