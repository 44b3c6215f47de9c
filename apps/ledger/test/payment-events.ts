import { randomUUID } from 'node:crypto';
import { PaymentEventTypes, createEnvelope, paymentRecordedEventType } from '@cashless/contracts';
import type {
  BankTransfer,
  EventEnvelope,
  PaymentChannel,
  PaymentOutcome,
  PaymentRecordedData,
  UnattributedTransferAssignedData,
  UnattributedTransferDismissedData,
  UnattributedTransferReceivedData,
} from '@cashless/contracts';

/**
 * Payment events as the payment service publishes them (same types, keys and data shapes), for
 * the ledger's specs. Every builder takes the ids it needs, so a spec can repeat an event, or
 * carry the same transfer in another event, on purpose.
 */
function paymentEvent<T>(type: string, key: string, data: T, eventId?: string, occurredAt?: Date): EventEnvelope<T> {
  return createEnvelope({ id: eventId, type, version: 1, key, traceId: 'ledger-spec', occurredAt, data });
}

export function bankTransfer(overrides: Partial<BankTransfer> = {}): BankTransfer {
  return {
    notificationId: randomUUID(),
    provider: 'generic',
    providerTransactionId: `FT${randomUUID().slice(0, 12)}`,
    bankBin: '970436',
    accountNumber: '0123456789',
    amount: 50_000,
    content: 'CS123 thanh toan',
    transferredAt: '2026-11-26T03:15:00.000Z',
    receivedAt: '2026-11-26T03:15:01.000Z',
    payerName: 'NGUYEN VAN A',
    payerAccount: '9704000000001',
    reference: null,
    ...overrides,
  };
}

export function paymentRecorded(
  merchantId: string,
  transfer: BankTransfer,
  options: { outcome?: PaymentOutcome; channel?: PaymentChannel; paymentId?: string; eventId?: string } = {},
): EventEnvelope<PaymentRecordedData> {
  const outcome = options.outcome ?? 'succeeded';
  const channel = options.channel ?? (outcome === 'static' ? 'static_qr' : 'dynamic_qr');
  const dynamic = channel === 'dynamic_qr';
  const data: PaymentRecordedData = {
    paymentId: options.paymentId ?? randomUUID(),
    merchantId,
    channel,
    outcome,
    intentId: dynamic ? randomUUID() : null,
    intentStatus: dynamic ? intentStatusOf(outcome) : null,
    expectedAmount: dynamic ? transfer.amount : null,
    paymentCode: dynamic ? 'CS123' : null,
    orderRef: null,
    transfer,
    recordedAt: transfer.receivedAt,
  };
  return paymentEvent(
    paymentRecordedEventType[outcome],
    merchantId,
    data,
    options.eventId,
    new Date(transfer.receivedAt),
  );
}

function intentStatusOf(outcome: PaymentOutcome) {
  return outcome === 'succeeded' || outcome === 'underpaid' || outcome === 'overpaid' ? outcome : 'expired';
}

export function unattributedReceived(
  transfer: BankTransfer,
  options: { unattributedId?: string; eventId?: string } = {},
): EventEnvelope<UnattributedTransferReceivedData> {
  const data: UnattributedTransferReceivedData = {
    unattributedId: options.unattributedId ?? randomUUID(),
    reason: 'unknown_account',
    transfer,
    recordedAt: transfer.receivedAt,
  };
  return paymentEvent(PaymentEventTypes.unattributedTransferReceived, transferKey(transfer), data, options.eventId);
}

export function unattributedAssigned(
  transfer: BankTransfer,
  merchantId: string,
  options: { unattributedId?: string; paymentId?: string; eventId?: string; assignedAt?: string } = {},
): EventEnvelope<UnattributedTransferAssignedData> {
  const data: UnattributedTransferAssignedData = {
    unattributedId: options.unattributedId ?? randomUUID(),
    paymentId: options.paymentId ?? randomUUID(),
    merchantId,
    officer: 'admin',
    note: null,
    transfer,
    assignedAt: options.assignedAt ?? '2026-11-26T05:00:00.000Z',
  };
  return paymentEvent(PaymentEventTypes.unattributedTransferAssigned, transferKey(transfer), data, options.eventId);
}

export function unattributedDismissed(
  transfer: BankTransfer,
  options: { unattributedId?: string; eventId?: string } = {},
): EventEnvelope<UnattributedTransferDismissedData> {
  const data: UnattributedTransferDismissedData = {
    unattributedId: options.unattributedId ?? randomUUID(),
    officer: 'admin',
    reason: 'test transfer',
    transfer,
    dismissedAt: '2026-11-26T06:00:00.000Z',
  };
  return paymentEvent(PaymentEventTypes.unattributedTransferDismissed, transferKey(transfer), data, options.eventId);
}

export function intentCreated(merchantId: string, amount = 50_000): EventEnvelope {
  return paymentEvent(PaymentEventTypes.intentCreated, merchantId, {
    intentId: randomUUID(),
    merchantId,
    status: 'requires_payment',
    amount,
    paymentCode: 'CS123',
    orderRef: null,
    expiresAt: '2026-11-26T03:30:00.000Z',
    bankBin: '970436',
    accountNumber: '0123456789',
    createdAt: '2026-11-26T03:15:00.000Z',
  });
}

function transferKey(transfer: BankTransfer): string {
  return `transfer:${transfer.notificationId}`;
}

/** The same event as it would arrive again from Kafka after a round trip through JSON. */
export function redelivered<T>(envelope: EventEnvelope<T>): EventEnvelope<T> {
  return JSON.parse(JSON.stringify(envelope)) as EventEnvelope<T>;
}
