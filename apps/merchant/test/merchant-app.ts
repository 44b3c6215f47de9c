import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, KafkaMessage } from 'kafkajs';
import { OutboxRelay, createKafka, producerConfig } from '@cashless/messaging';
import { ServiceApp, startServiceApp } from '../../../test/support/service-app';
import { merchantDatabase } from '../src/database';
import { merchantCatalog } from '../src/events';
import { MerchantModule } from '../src/merchant.module';

export type MerchantApp = ServiceApp;

/** The merchant service on a fresh database (see startServiceApp). */
export function startMerchantApp(name: string): Promise<MerchantApp> {
  return startServiceApp({
    service: 'merchant',
    name,
    database: merchantDatabase,
    catalog: merchantCatalog,
    module: MerchantModule,
    logLevel: process.env.MERCHANT_TEST_LOG,
  });
}

export { outboxFor } from '../../../test/support/outbox';
export type { OutboxRow } from '../../../test/support/outbox';

export const validRegistration = {
  shopName: 'Phở Hùng Vương',
  ownerName: 'Nguyễn Văn Đức',
  phone: '0912345678',
  taxId: '0100109106',
  category: 'food_drink',
  streetId: '',
  houseNumber: '12A',
  payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'Nguyễn Văn Đức' }],
};

export async function streetByName(m: MerchantApp, name: string): Promise<{ id: string; ward: { id: string } }> {
  const response = await m.http().get('/api/v1/streets').expect(200);
  const street = (response.body as { id: string; name: string; ward: { id: string } }[]).find((s) => s.name === name);
  if (!street) throw new Error(`no street ${name}`);
  return street;
}

export async function officerToken(m: MerchantApp): Promise<string> {
  const response = await m
    .http()
    .post('/api/v1/auth/login')
    .send({ username: 'admin', password: process.env.OFFICER_PASSWORD ?? 'admin-dev-password' })
    .expect(200);
  return (response.body as { token: string }).token;
}

/** A fresh pending merchant whose phone, tax id and account come from `n`, so no flags interfere. */
export async function registerShop(
  m: MerchantApp,
  streetId: string,
  n: number,
): Promise<{ id: string; apiKey: string; phone: string }> {
  const phone = `09130000${String(n).padStart(2, '0')}`;
  const response = await m
    .http()
    .post('/api/v1/merchants')
    .send({
      ...validRegistration,
      streetId,
      shopName: `Cửa hàng ${n}`,
      phone,
      taxId: `0709${String(n).padStart(8, '0')}`,
      payoutAccounts: [{ bankBin: '970436', accountNumber: `20000000${n}`, accountName: 'Tran Van E' }],
    })
    .expect(201);
  return { ...(response.body as { id: string; apiKey: string }), phone };
}

export function fieldsOf(response: { body: unknown }): string[] {
  return (response.body as { error: { details: { fields: { field: string }[] } } }).error.details.fields.map(
    (f) => f.field,
  );
}

export async function auditActions(m: MerchantApp, merchantId: string): Promise<string[]> {
  const rows = (await m.dataSource.query('SELECT action FROM audit_log WHERE merchant_id = $1 ORDER BY id', [
    merchantId,
  ])) as { action: string }[];
  return rows.map((r) => r.action);
}

/**
 * Publishes this suite's outbox to the real broker (one relay pass until empty), then reads
 * `merchant.events.v1` from the beginning until `done` holds for the events keyed by `merchantId`
 * (or 60 s pass). Returns those events' Kafka messages in order.
 */
export async function publishedEvents(
  m: MerchantApp,
  merchantId: string,
  done: (messages: KafkaMessage[]) => boolean,
): Promise<KafkaMessage[]> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const kafka = createKafka({ brokers, clientId: `merchant-spec-${randomUUID()}` });
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  const received: KafkaMessage[] = [];
  let consumer: Consumer | undefined;
  try {
    const relay = new OutboxRelay(m.dataSource, producer);
    while ((await relay.relayOnce()) > 0);
    await relay.stop();
    consumer = kafka.consumer({ groupId: `merchant-spec-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'merchant.events.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === merchantId) received.push(message);
      },
    });
    for (let waited = 0; !done(received) && waited < 60_000; waited += 100) await sleep(100);
    return received;
  } finally {
    await consumer?.disconnect();
    await producer.disconnect();
  }
}
