import 'reflect-metadata';
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { KafkaInboxServer, OutboxWriter, createKafka } from '@cashless/messaging';
import { Metrics, NestPinoLogger } from '@cashless/observability';
import { DatabaseModule, PlatformModule, createFastifyAdapter } from '@cashless/platform';
import { createTestDatabase } from '../../../test/support/databases';
import { paymentDatabase } from '../src/database';
import { paymentCatalog } from '../src/events';
import { PaymentModule } from '../src/payment.module';

/**
 * The payment service as `main.ts` assembles it, on a fresh database, listening on a random port,
 * consuming `merchant.events.v1` from the real broker with its own consumer group. The outbox
 * writer is real and the relay left out, so a spec reads what each change wrote to `outbox_message`.
 * The expiry job's timer is off (`PAYMENT_EXPIRY_INTERVAL_MS=0`): specs call `tick` themselves.
 */
export interface PaymentApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

@Global()
@Module({
  providers: [{ provide: OutboxWriter, useValue: new OutboxWriter(paymentCatalog) }],
  exports: [OutboxWriter],
})
class OutboxOnlyModule {}

export async function startPaymentApp(name: string, merchantUrl: string): Promise<PaymentApp> {
  process.env.MERCHANT_URL = merchantUrl;
  process.env.MERCHANT_AUTH_CACHE_MS = '0';
  process.env.PAYMENT_EXPIRY_INTERVAL_MS = '0';
  const db = await createTestDatabase(name, paymentDatabase);
  const logger = pino({ level: process.env.PAYMENT_TEST_LOG ?? 'silent' });
  const metrics = new Metrics('payment');

  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'payment', logger, metrics }),
      DatabaseModule.forRoot({ ...paymentDatabase, url: db.url, applicationName: `test-${name}`, poolSize: 10 }),
      OutboxOnlyModule,
      PaymentModule,
    ],
  })
  class RootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(RootModule, createFastifyAdapter(logger, metrics), {
    logger: new NestPinoLogger(logger),
  });
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const consumer = new KafkaInboxServer({
    kafka: createKafka({ brokers, clientId: `payment-spec-${randomUUID()}` }),
    groupId: `payment-spec-${randomUUID()}`,
    dataSource: app.get(DataSource),
    catalog: paymentCatalog,
    fromBeginning: true,
  });
  app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    dataSource: db.dataSource,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export { outboxFor as paymentOutbox } from '../../../test/support/outbox';
export type { OutboxRow as PaymentOutboxRow } from '../../../test/support/outbox';
