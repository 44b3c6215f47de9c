import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { Topics } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { createKafka, producerConfig } from '@cashless/messaging';
import { ServiceApp, startServiceApp } from '../../../test/support/service-app';
import { analyticsDatabase } from '../src/database';
import { analyticsCatalog } from '../src/events';
import { AnalyticsModule } from '../src/analytics.module';
import type { SyntheticMerchant } from '../src/history/event-builders';

export type AnalyticsApp = ServiceApp;

export const TEST_PAYER_SALT = 'analytics-test-payer-salt';

/**
 * The analytics service on a fresh database (see startServiceApp). Its config is read from the
 * environment at boot: `merchantUrl` is where it finds the street registry and asks who callers are.
 */
export function startAnalyticsApp(
  name: string,
  options: { consumesEvents?: boolean; merchantUrl?: string } = {},
): Promise<AnalyticsApp> {
  process.env.ANALYTICS_PAYER_SALT = TEST_PAYER_SALT;
  process.env.STREET_REGISTRY_CACHE_MS = '0';
  if (options.merchantUrl) process.env.MERCHANT_URL = options.merchantUrl;
  return startServiceApp({
    service: 'analytics',
    name,
    database: analyticsDatabase,
    catalog: analyticsCatalog,
    module: AnalyticsModule,
    consumesEvents: options.consumesEvents,
    logLevel: process.env.ANALYTICS_TEST_LOG,
  });
}

/** Publishes events to their topics on the real broker (key = merchant id, as the services do). */
export async function publish(
  events: EventEnvelope[],
  brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean),
): Promise<void> {
  const producer = createKafka({ brokers, clientId: `analytics-spec-${randomUUID()}` }).producer(producerConfig);
  await producer.connect();
  try {
    for (const event of events) analyticsCatalog.validate(event);
    await producer.sendBatch({
      topicMessages: [Topics.merchantEvents, Topics.paymentEvents].map((topic) => ({
        topic,
        messages: events
          .filter((e) => (topic === Topics.merchantEvents) === e.type.startsWith('merchant.'))
          .map((e) => ({ key: e.key, value: JSON.stringify(e) })),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Polls `check` until it holds (or 60 s pass). */
export async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let counter = 0;

/** A merchant of the synthetic kind with fresh ids. */
export function aMerchant(streetId: string, overrides: Partial<SyntheticMerchant> = {}): SyntheticMerchant {
  counter++;
  return {
    merchantId: randomUUID(),
    shopName: `Cửa hàng ${counter}`,
    category: 'food_drink',
    streetId,
    wardId: null,
    registeredAt: '2025-06-02T02:00:00Z',
    bankBin: '970436',
    accountNumber: `10000${String(counter).padStart(6, '0')}`,
    ...overrides,
  };
}

/**
 * The derived tables as sorted text rows, to compare two states of the projections (with
 * `streetIds`, those streets' rows only: the whole city's rows then depend on other tests' data).
 */
export async function derivedState(dataSource: DataSource, streetIds?: string[]): Promise<Record<string, string[]>> {
  const where = streetIds ? 'WHERE street_id = ANY($1::uuid[])' : '';
  const params = streetIds ? [streetIds] : [];
  const dump = async (sql: string) =>
    ((await dataSource.query(sql, params)) as { row: string }[]).map((r) => r.row).sort();
  return {
    daily_payment: await dump(`SELECT d::text AS row FROM daily_payment d ${where}`),
    monthly_payment: await dump(`SELECT m::text AS row FROM monthly_payment m ${where}`),
    merchant_activity: await dump(`SELECT a::text AS row FROM merchant_activity a ${where}`),
    street_total: await dump(`SELECT t::text AS row FROM street_total t ${where}`),
    merchant_days: await dump(
      `SELECT (merchant_id, bank_bin, street_id, category, md5(days::text))::text AS row FROM merchant_days ${where}`,
    ),
    shopper_sketch: await dump(
      `SELECT (period, start, street_id, md5(sketch), shoppers)::text AS row FROM shopper_sketch ${where}`,
    ),
    payment_fact: await dump(`SELECT p::text AS row FROM payment_fact p ${where}`),
  };
}
