import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Producer } from 'kafkajs';
import { LocalKafka, repoRoot } from '@cashless/infra';
import type { KafkaHandle } from '@cashless/infra';
import {
  KafkaInboxServer,
  OutboxRelay,
  OutboxWriter,
  createKafka,
  ensureTopics,
  producerConfig,
} from '@cashless/messaging';
import { createTestDatabase } from '../../../test/support/databases';
import { eventually, testCatalog, testMigrations } from './fixtures';

/**
 * A broker outage with events in flight: a broker of its own (so stopping it disturbs no other
 * test) is stopped while the service keeps committing events, then started again on the same
 * data. Events wait in the outbox; none is lost or applied twice.
 */
describe('outbox relay across a Kafka outage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cashless-outage-'));
  const broker = new LocalKafka({
    root: repoRoot(),
    dir,
    port: 19592,
    controllerPort: 19593,
    log: () => undefined,
  });
  let handle: KafkaHandle;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let producer: Producer;
  let relay: OutboxRelay;
  let server: KafkaInboxServer;
  const topic = 'test.outage.v1';
  const writer = new OutboxWriter(testCatalog);

  beforeAll(async () => {
    handle = await broker.start(90000);
    db = await createTestDatabase('outage', { migrations: testMigrations });
  });

  afterAll(async () => {
    await server?.close().catch(() => undefined);
    await relay?.stop();
    await producer?.disconnect().catch(() => undefined);
    await handle?.stop?.();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (i: number) =>
    db.dataSource.transaction((em) =>
      writer.append(em, [
        {
          topic,
          type: 'shop.registered',
          version: 1,
          key: `k${i % 4}`,
          traceId: 't',
          data: { shopId: `s${i}`, name: 'n', seq: i },
        },
      ]),
    );
  const copies = async () =>
    Number(
      (
        (await db.dataSource.query('SELECT count(DISTINCT seq) AS n, count(*) AS total FROM shop_copy')) as {
          n: string;
        }[]
      )[0].n,
    );
  const total = async () =>
    Number(((await db.dataSource.query('SELECT count(*) AS n FROM shop_copy')) as { n: string }[])[0].n);
  const outbox = async () =>
    Number(((await db.dataSource.query('SELECT count(*) AS n FROM outbox_message')) as { n: string }[])[0].n);

  it('keeps events in the outbox while the broker is down and delivers each once after it returns', async () => {
    const kafka = createKafka({ brokers: handle.brokers, clientId: 'outage', connectionTimeoutMs: 1000 });
    await ensureTopics(kafka, [
      { name: topic, partitions: 3 },
      { name: `${topic}.dlq`, partitions: 1 },
    ]);
    producer = kafka.producer(producerConfig);
    relay = new OutboxRelay(db.dataSource, producer, {
      idleDelayMs: 10,
      maxBackoffMs: 500,
      beforeAttempt: () => producer.connect(),
    });
    relay.start();
    server = new KafkaInboxServer({
      kafka,
      groupId: 'outage-consumer',
      dataSource: db.dataSource,
      catalog: testCatalog,
    });
    server.addHandler(
      topic,
      async (
        envelope: { data: { shopId: string; seq: number }; id: string },
        ctx: { transaction: typeof db.dataSource.manager },
      ) => {
        await ctx.transaction.query('INSERT INTO shop_copy (shop_id, name, seq, event_id) VALUES ($1, $2, $3, $4)', [
          envelope.data.shopId,
          'n',
          envelope.data.seq,
          envelope.id,
        ]);
      },
      true,
    );
    await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err) : resolve())));

    for (let i = 0; i < 20; i++) await write(i);
    await eventually(copies, (n) => n === 20);

    // Outage: the broker goes away while the service goes on committing business changes.
    await handle.stop!();
    for (let i = 20; i < 60; i++) await write(i);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await outbox()).toBe(40); // waiting, not lost
    expect(await copies()).toBe(20);

    handle = await broker.start(90000);
    await eventually(outbox, (n) => n === 0, 90000);
    await eventually(copies, (n) => n === 60, 90000);
    expect(await total()).toBe(60); // and none applied twice
  });
});
