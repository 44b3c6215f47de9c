import type { EntityManager } from 'typeorm';
import type { PaymentRecordedData } from '@cashless/contracts';

/**
 * What happens when a payment is recorded for a merchant, inside the very transaction that records
 * it: the live feed is signalled and the merchant's webhook deliveries are queued, so neither can
 * announce a payment that was rolled back nor miss one that was committed.
 */
export abstract class PaymentNotices {
  abstract paymentRecorded(em: EntityManager, payment: PaymentRecordedData): Promise<void>;
}
