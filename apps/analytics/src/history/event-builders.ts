import { createEnvelope, MerchantEventTypes, paymentRecordedEventType } from '@cashless/contracts';
import type { EventEnvelope, PaymentOutcome } from '@cashless/contracts';

/**
 * Builders of merchant and payment events exactly as the merchant and payment services publish
 * them (valid against their catalogs): what the synthetic history and the tests feed analytics.
 */
export interface SyntheticMerchant {
  merchantId: string;
  shopName: string;
  category: string;
  streetId: string;
  wardId: string | null;
  registeredAt: string;
  bankBin: string;
  accountNumber: string;
}

const snapshot = (m: SyntheticMerchant, status: string) => ({
  merchantId: m.merchantId,
  status,
  shopName: m.shopName,
  category: m.category,
  streetId: m.streetId,
  wardId: m.wardId,
  registeredAt: m.registeredAt,
  payoutAccounts: [{ bankBin: m.bankBin, accountNumber: m.accountNumber, accountName: 'CHU CUA HANG' }],
});

function envelope(type: string, key: string, data: unknown, at: string, id?: string): EventEnvelope {
  return createEnvelope({ type, version: 1, key, data, traceId: `synthetic-${key}`, occurredAt: new Date(at), id });
}

export function merchantRegistered(m: SyntheticMerchant): EventEnvelope {
  return envelope(MerchantEventTypes.registered, m.merchantId, snapshot(m, 'pending'), m.registeredAt);
}

const STATUS_CHANGE = {
  approved: { type: MerchantEventTypes.approved, from: 'pending', to: 'active' },
  rejected: { type: MerchantEventTypes.rejected, from: 'pending', to: 'rejected' },
  suspended: { type: MerchantEventTypes.suspended, from: 'active', to: 'suspended' },
  reinstated: { type: MerchantEventTypes.reinstated, from: 'suspended', to: 'active' },
  closed: { type: MerchantEventTypes.closed, from: 'active', to: 'closed' },
} as const;

export function merchantStatusChanged(
  m: SyntheticMerchant,
  change: keyof typeof STATUS_CHANGE,
  at: string,
  officer = 'admin',
): EventEnvelope {
  const c = STATUS_CHANGE[change];
  return envelope(
    c.type,
    m.merchantId,
    { ...snapshot(m, c.to), previousStatus: c.from, changedAt: at, changedBy: officer },
    at,
  );
}

export interface SyntheticPayment {
  paymentId: string;
  merchant: Pick<SyntheticMerchant, 'merchantId' | 'bankBin' | 'accountNumber'>;
  amount: number;
  transferredAt: string;
  /** Defaults to 2 seconds after the transfer. */
  receivedAt?: string;
  payerAccount: string | null;
  outcome?: PaymentOutcome;
  /** Deterministic event id (a UUID), so a generator run can be replayed identically. */
  eventId?: string;
}

export function paymentRecorded(p: SyntheticPayment): EventEnvelope {
  const outcome = p.outcome ?? 'static';
  const receivedAt = p.receivedAt ?? new Date(Date.parse(p.transferredAt) + 2_000).toISOString();
  const dynamic = outcome !== 'static';
  return envelope(
    paymentRecordedEventType[outcome],
    p.merchant.merchantId,
    {
      paymentId: p.paymentId,
      merchantId: p.merchant.merchantId,
      channel: dynamic ? 'dynamic_qr' : 'static_qr',
      outcome,
      intentId: null,
      intentStatus: dynamic ? (outcome === 'needs_review' ? 'expired' : outcome) : null,
      expectedAmount: dynamic ? p.amount : null,
      paymentCode: dynamic ? 'SYNTH' : null,
      orderRef: null,
      transfer: {
        notificationId: p.paymentId,
        provider: 'generic',
        providerTransactionId: `synthetic-${p.paymentId}`,
        bankBin: p.merchant.bankBin,
        accountNumber: p.merchant.accountNumber,
        amount: p.amount,
        content: dynamic ? 'SYNTH thanh toan' : 'chuyen tien',
        transferredAt: p.transferredAt,
        receivedAt,
        payerName: null,
        payerAccount: p.payerAccount,
        reference: null,
      },
      recordedAt: receivedAt,
    },
    receivedAt,
    p.eventId,
  );
}
