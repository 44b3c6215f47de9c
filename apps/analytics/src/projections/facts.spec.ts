import { describe, expect, it } from '@jest/globals';
import { createEnvelope } from '@cashless/contracts';
import { merchantFactOf, paymentFactOf } from './facts';
import { mergeMerchantFacts } from './projection-store';

const merchantId = '0193a5a0-0000-7000-8000-000000000001';
const streetId = '0193a5a0-0000-7000-8000-0000000000aa';
const snapshot = {
  merchantId,
  status: 'pending',
  shopName: 'Phở',
  category: 'food_drink',
  streetId,
  wardId: null,
  registeredAt: '2025-06-30T18:00:00Z',
  payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'NGUYEN VAN A' }],
};
const transfer = {
  notificationId: '0193a5a0-0000-7000-8000-0000000000b1',
  provider: 'generic',
  providerTransactionId: 'tx-1',
  bankBin: '970436',
  accountNumber: '0071001234567',
  amount: 45_000,
  content: 'PHO',
  transferredAt: '2025-07-01T02:00:00Z',
  receivedAt: '2025-07-01T02:01:30Z',
  payerName: 'TRAN THI B',
  payerAccount: '1903 4567 8901',
  reference: null,
};

const event = (type: string, data: unknown, at = '2025-07-01T03:00:00Z') =>
  createEnvelope({ type, version: 1, key: merchantId, traceId: 't', data, occurredAt: new Date(at) });

describe('merchant facts', () => {
  it('files the registration under its Vietnamese day', () => {
    expect(merchantFactOf(event('merchant.registered', snapshot))).toMatchObject({
      merchantId,
      streetId,
      category: 'food_drink',
      status: 'pending',
      registeredDay: '2025-07-01',
      approvedDay: null,
    });
  });

  it('records the day of approval, rejection and closing', () => {
    const approved = merchantFactOf(
      event('merchant.approved', {
        ...snapshot,
        status: 'active',
        previousStatus: 'pending',
        changedAt: '2025-07-02T01:00:00Z',
        changedBy: 'admin',
      }),
    );
    expect(approved).toMatchObject({ status: 'active', approvedDay: '2025-07-02', closedDay: null });
  });

  it('ignores payout account and board events', () => {
    expect(merchantFactOf(event('merchant.board_reported', {}))).toBeNull();
    expect(merchantFactOf(event('merchant.payout_account_added', {}))).toBeNull();
  });

  it('merges a batch to the latest snapshot with the earliest status days', () => {
    const registered = merchantFactOf(event('merchant.registered', snapshot, '2025-07-01T00:00:00Z'))!;
    const approved = merchantFactOf(
      event(
        'merchant.approved',
        { ...snapshot, status: 'active', previousStatus: 'pending', changedAt: '2025-07-02T01:00:00Z', changedBy: 'a' },
        '2025-07-02T01:00:00Z',
      ),
    )!;
    for (const order of [
      [registered, approved],
      [approved, registered],
    ]) {
      expect(mergeMerchantFacts(order)).toEqual([{ ...approved, registeredDay: '2025-07-01' }]);
    }
  });
});

describe('payment facts', () => {
  const salt = 'a-test-salt-of-some-length';
  const recorded = {
    paymentId: '0193a5a0-0000-7000-8000-0000000000c1',
    merchantId,
    channel: 'dynamic_qr',
    outcome: 'underpaid',
    intentId: null,
    intentStatus: null,
    expectedAmount: 50_000,
    paymentCode: 'ABC',
    orderRef: null,
    transfer,
    recordedAt: '2025-07-01T02:01:31Z',
  };

  it('keeps amount, bank, day, delay and a shopper slot, never the payer account', () => {
    const fact = paymentFactOf(event('payment.intent_underpaid', recorded), salt)!;
    expect(fact).toMatchObject({
      paymentId: recorded.paymentId,
      merchantId,
      day: '2025-07-01',
      amount: 45_000,
      bankBin: '970436',
      channel: 'dynamic_qr',
      outcome: 'underpaid',
      delaySeconds: 90,
    });
    expect(fact.shopperRegister).toEqual(expect.any(Number));
    expect(JSON.stringify(fact)).not.toMatch(/1903|TRAN|0071001234567/);
  });

  it('counts a transfer an officer assigned as a static-QR payment of that merchant', () => {
    const fact = paymentFactOf(
      event('payment.unattributed_transfer_assigned', {
        unattributedId: '0193a5a0-0000-7000-8000-0000000000d1',
        paymentId: '0193a5a0-0000-7000-8000-0000000000d2',
        merchantId,
        officer: 'admin',
        note: null,
        transfer: { ...transfer, payerAccount: null },
        assignedAt: '2025-07-03T00:00:00Z',
      }),
      salt,
    );
    expect(fact).toMatchObject({ channel: 'static_qr', outcome: 'assigned', shopperRegister: null });
  });

  it('ignores intents and transfers nobody was credited with', () => {
    expect(paymentFactOf(event('payment.intent_created', {}), salt)).toBeNull();
    expect(paymentFactOf(event('payment.unattributed_transfer_received', {}), salt)).toBeNull();
  });
});
