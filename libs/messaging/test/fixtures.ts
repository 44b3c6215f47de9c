import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka } from 'kafkajs';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { EventCatalog, defineEvent } from '@cashless/contracts';
import { MessagingTables1764115200000, createKafka, ensureTopics } from '@cashless/messaging';

/** Business tables of two pretend services: a producer's `shop` and a consumer's `shop_copy`. */
export class TestTables1764115200001 implements MigrationInterface {
  name = 'TestTables1764115200001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE shop (id text PRIMARY KEY, name text NOT NULL)`);
    await q.query(`CREATE TABLE shop_copy (
      n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      shop_id text NOT NULL, name text NOT NULL, seq integer NOT NULL, event_id uuid NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shop_copy');
    await q.query('DROP TABLE shop');
  }
}

export const testMigrations = [MessagingTables1764115200000, TestTables1764115200001];

export const shopRegistered = defineEvent(
  'shop.registered',
  1,
  z.object({ shopId: z.string().min(1), name: z.string().min(1), seq: z.number().int().min(0) }),
);

export const testCatalog = new EventCatalog([shopRegistered]);

export function testKafka(clientId: string): Kafka {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: run integration tests through Jest');
  return createKafka({ brokers, clientId });
}

/** A topic of its own for each test, so tests never see each other's messages. */
export async function createTestTopic(kafka: Kafka, prefix: string, partitions: number): Promise<string> {
  const topic = `test.${prefix}.${randomBytes(4).toString('hex')}.v1`;
  await ensureTopics(kafka, [
    { name: topic, partitions },
    { name: `${topic}.dlq`, partitions: 1 },
  ]);
  return topic;
}

export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline)
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(100);
    value = await probe();
  }
  return value;
}

/** Total number of messages ever written to a topic (sum of high watermarks). */
export async function topicMessageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export function uniqueGroup(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
