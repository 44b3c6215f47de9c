import { MerchantEventTypes, PaymentEventTypes } from '@cashless/contracts';
import type {
  EventEnvelope,
  MerchantRegisteredData,
  MerchantStatusChangedData,
  PaymentRecordedData,
  UnattributedTransferAssignedData,
} from '@cashless/contracts';
import { vietnamDay } from '../kpi/calendar';
import { payerHash, slotOf } from './shopper-sketch';

/**
 * The raw facts analytics keeps from events: the minimum to recompute every aggregate. Pure: an
 * event in, a fact (or nothing) out. Everything derived (daily tables, activity masks, shopper
 * sketches) is a function of these facts alone, which is what makes the projections order-free
 * and rebuildable.
 */

/** A merchant as its latest event describes it, plus the days of its lasting status changes. */
export interface MerchantFact {
  merchantId: string;
  streetId: string;
  /** The street's ward when the event happened, as the merchant service saw it. */
  wardId: string | null;
  category: string;
  status: string;
  registeredDay: string;
  /** First approval (the board is issued), first rejection, closing: null until they happen. */
  approvedDay: string | null;
  rejectedDay: string | null;
  closedDay: string | null;
  /** Version of the snapshot: the event's occurredAt, ties broken by event id (UUIDv7). */
  versionAt: string;
  versionId: string;
}

/** One payment attributed to a merchant. No payer account, no name, no content: only a sketch slot. */
export interface PaymentFact {
  paymentId: string;
  merchantId: string;
  /** Day of the transfer in Vietnam. */
  day: string;
  amount: number;
  /** The destination account's bank (the bank that announced the payment). */
  bankBin: string;
  channel: 'dynamic_qr' | 'static_qr';
  outcome: 'succeeded' | 'underpaid' | 'overpaid' | 'needs_review' | 'static' | 'assigned';
  /** Seconds from the transfer to the platform receiving its notification (never negative). */
  delaySeconds: number;
  shopperRegister: number | null;
  shopperRank: number | null;
}

const STATUS_EVENTS = new Set<string>([
  MerchantEventTypes.approved,
  MerchantEventTypes.rejected,
  MerchantEventTypes.suspended,
  MerchantEventTypes.reinstated,
  MerchantEventTypes.closed,
]);

/** The merchant fact an event carries, or null (payout account and board events change nothing here). */
export function merchantFactOf(event: EventEnvelope): MerchantFact | null {
  if (event.type !== MerchantEventTypes.registered && !STATUS_EVENTS.has(event.type)) return null;
  const data = event.data as MerchantRegisteredData | MerchantStatusChangedData;
  const changedDay = 'changedAt' in data ? vietnamDay(data.changedAt) : null;
  return {
    merchantId: data.merchantId,
    streetId: data.streetId,
    wardId: data.wardId,
    category: data.category,
    status: data.status,
    registeredDay: vietnamDay(data.registeredAt),
    approvedDay: event.type === MerchantEventTypes.approved ? changedDay : null,
    rejectedDay: event.type === MerchantEventTypes.rejected ? changedDay : null,
    closedDay: event.type === MerchantEventTypes.closed ? changedDay : null,
    versionAt: event.occurredAt,
    versionId: event.id,
  };
}

const RECORDED_OUTCOME: Record<string, PaymentFact['outcome']> = {
  [PaymentEventTypes.intentSucceeded]: 'succeeded',
  [PaymentEventTypes.intentUnderpaid]: 'underpaid',
  [PaymentEventTypes.intentOverpaid]: 'overpaid',
  [PaymentEventTypes.paymentNeedsReview]: 'needs_review',
  [PaymentEventTypes.staticPaymentReceived]: 'static',
};

/** Outcomes counted as failures in a bank's failure rate: the shopper's transfer did not settle the sale. */
export const FAILED_OUTCOMES: readonly PaymentFact['outcome'][] = ['underpaid', 'needs_review'];

/**
 * The payment fact an event carries, or null for events that are not a payment (intents created,
 * expired or canceled; transfers nobody could be credited with, or dismissed).
 */
export function paymentFactOf(event: EventEnvelope, payerSalt: string): PaymentFact | null {
  let base: { paymentId: string; merchantId: string; channel: PaymentFact['channel']; outcome: PaymentFact['outcome'] };
  let transfer: PaymentRecordedData['transfer'];
  const recorded = RECORDED_OUTCOME[event.type];
  if (recorded) {
    const data = event.data as PaymentRecordedData;
    base = { paymentId: data.paymentId, merchantId: data.merchantId, channel: data.channel, outcome: recorded };
    transfer = data.transfer;
  } else if (event.type === PaymentEventTypes.unattributedTransferAssigned) {
    // An officer credited a queued transfer to a merchant: money into a payout account without a code.
    const data = event.data as UnattributedTransferAssignedData;
    base = { paymentId: data.paymentId, merchantId: data.merchantId, channel: 'static_qr', outcome: 'assigned' };
    transfer = data.transfer;
  } else {
    return null;
  }
  const hash = payerHash(transfer.payerAccount, payerSalt);
  const slot = hash ? slotOf(hash) : null;
  const delayMs = Date.parse(transfer.receivedAt) - Date.parse(transfer.transferredAt);
  return {
    ...base,
    day: vietnamDay(transfer.transferredAt),
    amount: transfer.amount,
    bankBin: transfer.bankBin,
    delaySeconds: Math.max(0, Math.round(delayMs / 1000)),
    shopperRegister: slot?.register ?? null,
    shopperRank: slot?.rank ?? null,
  };
}
