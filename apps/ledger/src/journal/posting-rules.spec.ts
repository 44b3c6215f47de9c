import { describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@cashless/contracts';
import {
  bankTransfer,
  intentCreated,
  paymentRecorded,
  unattributedAssigned,
  unattributedDismissed,
  unattributedReceived,
} from '../../test/payment-events';
import { postingFor } from './posting-rules';
import { UnbalancedTransactionError, reverse } from './transaction';
import type { ProposedTransaction } from './transaction';

const merchant = '0190a5c4-1111-7000-8000-000000000001';

function lines(tx: ProposedTransaction | null) {
  return tx?.entries.map((e) => `${e.side} ${e.account.code} ${e.amount}`);
}

describe('posting rules: payment events → balanced transactions', () => {
  const transfer = bankTransfer({ amount: 75_000, transferredAt: '2026-11-26T10:15:00.123456+07:00' });

  it.each(['succeeded', 'underpaid', 'overpaid'] as const)(
    'a dynamic-QR payment (%s) moves the whole transfer from the payer into the shop’s takings',
    (outcome) => {
      const tx = postingFor(paymentRecorded(merchant, transfer, { outcome }));
      expect(tx).toMatchObject({
        postingKey: `receipt:${transfer.notificationId}`,
        rule: 'payment_received',
        merchantId: merchant,
        channel: 'dynamic_qr',
        memo: { outcome },
        // Normalised to UTC milliseconds, so it reads back from the database identically.
        effectiveAt: '2026-11-26T03:15:00.123Z',
      });
      expect(lines(tx)).toEqual([
        'debit bank:970436:0123456789 75000',
        `credit merchant:${merchant}:takings:dynamic_qr 75000`,
      ]);
    },
  );

  it('a static-QR payment is credited to the static-QR takings', () => {
    const tx = postingFor(paymentRecorded(merchant, transfer, { outcome: 'static' }));
    expect(tx?.channel).toBe('static_qr');
    expect(lines(tx)).toEqual([
      'debit bank:970436:0123456789 75000',
      `credit merchant:${merchant}:takings:static_qr 75000`,
    ]);
  });

  it('money for an expired intent (needs review) is still the merchant’s takings, flagged in the memo', () => {
    const tx = postingFor(paymentRecorded(merchant, transfer, { outcome: 'needs_review' }));
    expect(tx?.memo.outcome).toBe('needs_review');
    expect(lines(tx)).toEqual([
      'debit bank:970436:0123456789 75000',
      `credit merchant:${merchant}:takings:dynamic_qr 75000`,
    ]);
  });

  it('an unattributed transfer lands in suspense under the same receipt key', () => {
    const tx = postingFor(unattributedReceived(transfer));
    expect(tx).toMatchObject({ postingKey: `receipt:${transfer.notificationId}`, merchantId: null, channel: null });
    expect(lines(tx)).toEqual(['debit bank:970436:0123456789 75000', 'credit suspense:unattributed 75000']);
  });

  it('assigning a queued transfer moves it from suspense to the merchant, as of the assignment', () => {
    const tx = postingFor(unattributedAssigned(transfer, merchant, { assignedAt: '2026-11-27T01:00:00Z' }));
    expect(tx).toMatchObject({
      postingKey: `resolution:${transfer.notificationId}`,
      rule: 'transfer_assigned',
      merchantId: merchant,
      channel: 'static_qr',
      effectiveAt: '2026-11-27T01:00:00.000Z',
    });
    expect(lines(tx)).toEqual([
      'debit suspense:unattributed 75000',
      `credit merchant:${merchant}:takings:static_qr 75000`,
    ]);
  });

  it('dismissing a queued transfer moves it from suspense to dismissed transfers, under the same resolution key', () => {
    const tx = postingFor(unattributedDismissed(transfer));
    expect(tx?.postingKey).toBe(`resolution:${transfer.notificationId}`);
    expect(lines(tx)).toEqual(['debit suspense:unattributed 75000', 'credit suspense:dismissed 75000']);
  });

  it('intent lifecycle events move no money and post nothing', () => {
    expect(postingFor(intentCreated(merchant))).toBeNull();
    expect(postingFor({ ...intentCreated(merchant), type: 'payment.intent_expired' })).toBeNull();
    expect(postingFor({ ...intentCreated(merchant), type: 'payment.intent_canceled' })).toBeNull();
  });

  it('refuses to produce a transaction with a zero amount', () => {
    const poison = paymentRecorded(merchant, { ...transfer, amount: 0 }) as EventEnvelope;
    expect(() => postingFor(poison)).toThrow(UnbalancedTransactionError);
  });

  it('a reversal swaps every entry and is keyed after the original', () => {
    const tx = postingFor(paymentRecorded(merchant, transfer))!;
    const back = reverse(tx, {
      effectiveAt: '2026-11-28T00:00:00Z',
      reason: 'posted twice by hand',
      source: tx.source,
    });
    expect(back.postingKey).toBe(`reversal:${tx.postingKey}`);
    expect(lines(back)).toEqual([
      'credit bank:970436:0123456789 75000',
      `debit merchant:${merchant}:takings:dynamic_qr 75000`,
    ]);
  });
});
