import type { EventEnvelope, PaymentRecordedData } from '@cashless/contracts';
import { postingFor } from '../journal/posting-rules';

/** The compact record of a money-moving payment event (a `ledger_payment_event` row). */
export interface PaymentEventRecord {
  eventId: string;
  eventType: string;
  postingKey: string;
  notificationId: string;
  paymentId: string | null;
  merchantId: string | null;
  amount: number;
  paymentCode: string | null;
  orderRef: string | null;
  payerName: string | null;
  receivedAt: string;
  effectiveAt: string;
}

/**
 * What the ledger keeps of a payment event for reconciliation and statements, or null when the
 * event moves no money. Derived from the posting rules, so the record names the same posting key
 * and amount the journal uses.
 */
export function paymentEventRecord(envelope: EventEnvelope): PaymentEventRecord | null {
  const tx = postingFor(envelope);
  if (!tx || tx.notificationId === null) return null;
  const data = envelope.data as Partial<PaymentRecordedData> & { transfer: PaymentRecordedData['transfer'] };
  return {
    eventId: envelope.id,
    eventType: envelope.type,
    postingKey: tx.postingKey,
    notificationId: tx.notificationId,
    paymentId: tx.paymentId,
    merchantId: tx.merchantId,
    amount: data.transfer.amount,
    paymentCode: data.paymentCode ?? null,
    orderRef: data.orderRef ?? null,
    payerName: data.transfer.payerName,
    receivedAt: data.transfer.receivedAt,
    effectiveAt: tx.effectiveAt,
  };
}
