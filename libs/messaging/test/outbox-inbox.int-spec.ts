import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { Consumer, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createEnvelope } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { KafkaInboxServer, OnTopic, OutboxRelay, OutboxWriter, producerConfig } from '@cashless/messaging';
import type { InboxContext, KafkaInboxServerOptions } from '@cashless/messaging';
import { createTestDatabase } from '../../../test/support/databases';
import {
  createTestTopic,
  eventually,
  testCatalog,
  testKafka,
  testMigrations,
  topicMessageCount,
  uniqueGroup,
} from './fixtures';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

interface ShopData {
  shopId: string;
  name: string;
  seq: number;
}

/** The consumer side's handler: copies the shop into its own table, in the inbox transaction. */
async function copyShop(envelope: EventEnvelope, ctx: InboxContext): Promise<void> {
  const data = envelope.data as ShopData;
  if (data.name === 'boom') throw new Error('handler refuses shops named boom');
  await ctx.transaction.query('INSERT INTO shop_copy (shop_id, name, seq, event_id) VALUES ($1, $2, $3, $4)', [
    data.shopId,
    data.name,
    data.seq,
    envelope.id,
  ]);
}

async function registerShop(db: DataSource, writer: OutboxWriter, topic: string, shopId: string, seq = 0) {
  return db.transaction(async (em) => {
    await em.query('INSERT INTO shop (id, name) VALUES ($1, $2)', [shopId, `Shop ${shopId}`]);
    const [envelope] = await writer.append(em, [
      {
        topic,
        type: 'shop.registered',
        version: 1,
        key: shopId,
        traceId: 'test',
        data: { shopId, name: `Shop ${shopId}`, seq },
      },
    ]);
    return envelope;
  });
}

async function count(db: DataSource, sql: string): Promise<number> {
  const [row] = (await db.query(sql)) as { n: string }[];
  return Number(row.n);
}

describe('outbox → Kafka → inbox (real PostgreSQL and Kafka)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let producerDb: Db;
  let consumerDb: Db;
  const writer = new OutboxWriter(testCatalog);
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    kafka = testKafka('messaging-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    producerDb = await createTestDatabase('msg_producer', { migrations: testMigrations });
    consumerDb = await createTestDatabase('msg_consumer', { migrations: testMigrations });
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await producer.disconnect();
    await producerDb.drop();
    await consumerDb.drop();
  });

  /** A consumer of the consumer service's database, as each test needs one. */
  function inboxServer(groupId: string, overrides: Partial<KafkaInboxServerOptions> = {}): KafkaInboxServer {
    return new KafkaInboxServer({
      kafka,
      groupId,
      dataSource: consumerDb.dataSource,
      catalog: testCatalog,
      maxAttempts: 3,
      ...overrides,
    });
  }

  /** Starts a consumer outside Nest and stops it after the suite. */
  async function listen(server: KafkaInboxServer): Promise<void> {
    await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err) : resolve())));
    cleanups.push(() => server.close());
  }

  async function startConsumerService(topic: string, groupId: string): Promise<INestMicroservice> {
    @Controller()
    class ShopCopyController {
      @OnTopic(topic)
      async onShopRegistered(@Payload() envelope: EventEnvelope, @Ctx() ctx: InboxContext): Promise<void> {
        await copyShop(envelope, ctx);
      }
    }
    @Module({ controllers: [ShopCopyController] })
    class ConsumerServiceModule {}

    const server = inboxServer(groupId);
    const app = await NestFactory.createMicroservice(ConsumerServiceModule, { strategy: server, logger: false });
    await app.listen();
    cleanups.push(() => app.close());
    return app;
  }

  function startRelay(db: DataSource): OutboxRelay {
    const relay = new OutboxRelay(db, producer, { idleDelayMs: 10 });
    relay.start();
    cleanups.push(() => relay.stop());
    return relay;
  }

  it('delivers an event written with a business row to a consumer in another service exactly once', async () => {
    const topic = await createTestTopic(kafka, 'exactly-once', 3);
    await startConsumerService(topic, uniqueGroup('shop-copy'));
    const relay = startRelay(producerDb.dataSource);

    const envelope = await registerShop(producerDb.dataSource, writer, topic, 'shop-eo-1');

    const rows = await eventually(
      () => consumerDb.dataSource.query('SELECT shop_id, event_id FROM shop_copy WHERE shop_id = $1', ['shop-eo-1']),
      (r: unknown[]) => r.length > 0,
    );
    expect(rows).toEqual([{ shop_id: 'shop-eo-1', event_id: envelope.id }]);
    await eventually(
      () => count(producerDb.dataSource, 'SELECT count(*) AS n FROM outbox_message'),
      (n) => n === 0,
    );

    // Redeliver the very same event: the inbox must make it a no-op.
    await producer.send({ topic, messages: [{ key: envelope.key, value: JSON.stringify(envelope) }] });
    await eventually(
      () => count(consumerDb.dataSource, `SELECT count(*) AS n FROM inbox_message`),
      (n) => n >= 1,
    );
    await eventually(
      () => topicMessageCount(kafka, topic),
      (n) => n === 2,
    );
    // Give the consumer time to see the duplicate, then check it had no second effect.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count(consumerDb.dataSource, `SELECT count(*) AS n FROM shop_copy WHERE shop_id = 'shop-eo-1'`)).toBe(
      1,
    );
    await relay.stop();
  });

  it('does not publish an event whose transaction rolled back', async () => {
    const topic = await createTestTopic(kafka, 'rollback', 1);
    await expect(
      producerDb.dataSource.transaction(async (em) => {
        await writer.append(em, [
          {
            topic,
            type: 'shop.registered',
            version: 1,
            key: 'k',
            traceId: 't',
            data: { shopId: 'x', name: 'x', seq: 0 },
          },
        ]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(
      await count(producerDb.dataSource, `SELECT count(*) AS n FROM outbox_message WHERE topic = '${topic}'`),
    ).toBe(0);
  });

  it('rejects an event that does not match its schema before anything is written', async () => {
    await expect(
      producerDb.dataSource.transaction((em) =>
        writer.append(em, [
          { topic: 't', type: 'shop.registered', version: 1, key: 'k', traceId: 't', data: { shopId: '', name: 'x' } },
        ]),
      ),
    ).rejects.toThrow(/Invalid data for shop.registered v1/);
  });

  it('publishes after a crash between the database commit and the publish', async () => {
    const topic = await createTestTopic(kafka, 'crash', 3);
    // "Crash" before publishing: the events are committed to the outbox but no relay runs.
    for (let i = 0; i < 5; i++) await registerShop(producerDb.dataSource, writer, topic, `shop-crash-${i}`);
    expect(await topicMessageCount(kafka, topic)).toBe(0);

    // A crash after the broker's ack but before the delete: the same rows were already sent once.
    const pending = (await producerDb.dataSource.query(
      `SELECT key, payload FROM outbox_message WHERE topic = $1 ORDER BY seq`,
      [topic],
    )) as { key: string; payload: string }[];
    expect(pending).toHaveLength(5);
    await producer.send({ topic, messages: pending.map((p) => ({ key: p.key, value: p.payload })) });

    await startConsumerService(topic, uniqueGroup('after-crash'));
    // The restarted service's relay finds the rows and publishes them (again).
    startRelay(producerDb.dataSource);
    await eventually(
      () => topicMessageCount(kafka, topic),
      (n) => n === 10,
    );
    await eventually(
      () => count(consumerDb.dataSource, `SELECT count(*) AS n FROM shop_copy WHERE shop_id LIKE 'shop-crash-%'`),
      (n) => n === 5,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      await count(
        consumerDb.dataSource,
        `SELECT count(DISTINCT shop_id) AS n FROM shop_copy WHERE shop_id LIKE 'shop-crash-%'`,
      ),
    ).toBe(5);
    expect(
      await count(consumerDb.dataSource, `SELECT count(*) AS n FROM shop_copy WHERE shop_id LIKE 'shop-crash-%'`),
    ).toBe(5);
  });

  it('dead-letters poison messages with the error and keeps the partition moving', async () => {
    const topic = await createTestTopic(kafka, 'poison', 1);
    const groupId = uniqueGroup('poison');
    const attempts: string[] = [];
    const server = inboxServer(groupId);
    server.addHandler(
      topic,
      async (envelope: EventEnvelope, ctx: InboxContext) => {
        attempts.push((envelope.data as ShopData).name);
        await copyShop(envelope, ctx);
      },
      true,
    );
    await listen(server);
    startRelay(consumerDb.dataSource); // publishes the consumer's dead letters

    const event = (shopId: string, name: string) =>
      JSON.stringify(
        createEnvelope({
          type: 'shop.registered',
          version: 1,
          key: 'same-key',
          traceId: 't',
          data: { shopId, name, seq: 0 },
        }),
      );
    await producer.send({
      topic,
      messages: [
        { key: 'same-key', value: '{ not json' },
        { key: 'same-key', value: event('poison-1', 'boom') },
        { key: 'same-key', value: JSON.stringify({ id: 'nope', type: 'shop.registered' }) },
        { key: 'same-key', value: event('poison-ok', 'fine shop') },
      ],
    });

    await eventually(
      () => count(consumerDb.dataSource, `SELECT count(*) AS n FROM shop_copy WHERE shop_id = 'poison-ok'`),
      (n) => n === 1,
    );
    const dead = (await consumerDb.dataSource.query(
      `SELECT kafka_offset, error, attempts FROM dead_letter WHERE consumer = $1 ORDER BY kafka_offset`,
      [groupId],
    )) as { kafka_offset: string; error: string; attempts: number }[];
    expect(dead.map((d) => d.kafka_offset)).toEqual(['0', '1', '2']);
    expect(dead[0].error).toMatch(/not JSON/);
    expect(dead[1]).toMatchObject({ error: 'handler refuses shops named boom', attempts: 3 });
    expect(dead[2].error).toMatch(/Malformed event envelope/);
    expect(attempts.filter((n) => n === 'boom').length).toBeGreaterThanOrEqual(3);

    // The dead letters also reach the dead-letter topic, with the error.
    const dlq = await readAll(kafka, `${topic}.dlq`, 3);
    expect(dlq.map((m) => JSON.parse(m).error)).toEqual([dead[0].error, dead[1].error, dead[2].error]);
  });

  it('hands a batch handler the new events together and isolates the one that fails', async () => {
    const topic = await createTestTopic(kafka, 'batch', 1);
    const groupId = uniqueGroup('batch');
    const calls: string[][] = [];
    const server = inboxServer(groupId);
    server.addHandler(
      topic,
      async (envelopes: EventEnvelope[], ctx: InboxContext) => {
        calls.push(envelopes.map((e) => (e.data as ShopData).name));
        for (const envelope of envelopes) await copyShop(envelope, ctx);
      },
      true,
      { batch: true },
    );
    const event = (shopId: string, name: string) =>
      createEnvelope({
        type: 'shop.registered',
        version: 1,
        key: 'batch-key',
        traceId: 't',
        data: { shopId, name, seq: 0 },
      });
    const first = event('batch-1', 'one');
    // Everything is on the topic before the consumer starts, so it arrives as one chunk.
    await producer.send({
      topic,
      messages: [first, event('batch-2', 'boom'), event('batch-3', 'three'), first].map((e) => ({
        key: e.key,
        value: JSON.stringify(e),
      })),
    });
    await listen(server);

    await eventually(
      () => count(consumerDb.dataSource, `SELECT count(*) AS n FROM dead_letter WHERE consumer = '${groupId}'`),
      (n) => n === 1,
    );
    const copied = (await consumerDb.dataSource.query(
      `SELECT shop_id FROM shop_copy WHERE shop_id LIKE 'batch-%' ORDER BY n`,
    )) as { shop_id: string }[];
    expect(copied.map((r) => r.shop_id)).toEqual(['batch-1', 'batch-3']);
    // One call with the three distinct events (the duplicate is dropped), then one by one after the failure.
    expect(calls[0]).toEqual(['one', 'boom', 'three']);
    expect(calls.slice(1)).toEqual([['one'], ['boom'], ['boom'], ['boom'], ['three']]);
  });

  it('keeps per-key order across several partitions and two consumer instances', async () => {
    const topic = await createTestTopic(kafka, 'order', 6);
    const groupId = uniqueGroup('order');
    for (let instance = 0; instance < 2; instance++) {
      const server = inboxServer(groupId, { kafka: testKafka(`order-${instance}`), chunkSize: 20 });
      server.addHandler(topic, copyShop, true);
      await listen(server);
    }
    startRelay(producerDb.dataSource);

    const keys = Array.from({ length: 12 }, (_, i) => `order-key-${i}`);
    const perKey = 40;
    // Writers race: several concurrent transactions per key, each appending the next number.
    const next = new Map(keys.map((k) => [k, 0]));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let round = 0; round < (keys.length * perKey) / 8; round++) {
          const key = keys[round % keys.length];
          await producerDb.dataSource.transaction(async (em) => {
            // Serialise on the key first, as a real aggregate update would; the sequence is then
            // taken in commit order and the outbox must preserve it.
            await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [key]);
            const seq = next.get(key)!;
            next.set(key, seq + 1);
            await writer.append(em, [
              { topic, type: 'shop.registered', version: 1, key, traceId: 't', data: { shopId: key, name: key, seq } },
            ]);
          });
        }
      }),
    );

    const total = keys.length * perKey;
    await eventually(
      () => count(consumerDb.dataSource, `SELECT count(*) AS n FROM shop_copy WHERE shop_id LIKE 'order-key-%'`),
      (n) => n >= total,
      90000,
    );
    const rows = (await consumerDb.dataSource.query(
      `SELECT shop_id, seq FROM shop_copy WHERE shop_id LIKE 'order-key-%' ORDER BY n`,
    )) as { shop_id: string; seq: number }[];
    expect(rows).toHaveLength(total);
    const seen = new Map<string, number[]>();
    for (const r of rows) seen.set(r.shop_id, [...(seen.get(r.shop_id) ?? []), r.seq]);
    for (const key of keys) {
      expect(seen.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
  });
});

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId: uniqueGroup('dlq-reader') });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
  try {
    await eventually(
      async () => values.length,
      (n) => n >= expected,
    );
    return values;
  } finally {
    await consumer.disconnect();
  }
}
