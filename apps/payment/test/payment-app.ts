import 'reflect-metadata';
import { ServiceApp, startServiceApp } from '../../../test/support/service-app';
import { paymentDatabase } from '../src/database';
import { paymentCatalog } from '../src/events';
import { PaymentModule } from '../src/payment.module';

/**
 * The payment service as `main.ts` assembles it, on a fresh database, listening on a random port,
 * consuming `merchant.events.v1` from the real broker with its own consumer group. The outbox
 * writer is real and the relay left out, so a spec reads what each change wrote to `outbox_message`.
 * The expiry job's timer is off (`PAYMENT_EXPIRY_INTERVAL_MS=0`): specs call `tick` themselves.
 */
export type PaymentApp = ServiceApp;

export function startPaymentApp(name: string, merchantUrl: string): Promise<PaymentApp> {
  process.env.MERCHANT_URL = merchantUrl;
  process.env.MERCHANT_AUTH_CACHE_MS = '0';
  process.env.PAYMENT_EXPIRY_INTERVAL_MS = '0';
  return startServiceApp({
    service: 'payment',
    name,
    database: paymentDatabase,
    catalog: paymentCatalog,
    module: PaymentModule,
    consumesEvents: true,
    logLevel: process.env.PAYMENT_TEST_LOG,
  });
}

export { outboxFor as paymentOutbox } from '../../../test/support/outbox';
export type { OutboxRow as PaymentOutboxRow } from '../../../test/support/outbox';
