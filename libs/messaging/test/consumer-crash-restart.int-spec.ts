import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, Producer } from 'kafkajs';
import { createEnvelope } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { KafkaInboxServer, producerConfig } from '@cashless/messaging';
import type { InboxContext } from '@cashless/messaging';
import { createTestDatabase } from '../../../test/support/databases';
import { createTestTopic, eventually, testCatalog, testKafka, testMigrations, uniqueGroup } from './fixtures';

/**
 * A service restarted after a crash (SIGKILL: no LeaveGroup) must start at once. The broker keeps
 * the dead member in the group until its session expires; the consumer joins when it can, while
 * the service already answers. Found by `npm run chaos`: a killed payment service used to wait
 * that whole session (30 s) before listening, refusing bank notifications all along.
 */
describe('inbox consumer after a crashed member of its group', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let crashed: ChildProcess | undefined;
  let server: KafkaInboxServer | undefined;

  beforeAll(async () => {
    kafka = testKafka('consumer-crash-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    db = await createTestDatabase('msg_crash', { migrations: testMigrations });
  });

  afterAll(async () => {
    crashed?.kill('SIGKILL');
    await server?.close().catch(() => undefined);
    await producer.disconnect();
    await db.drop();
  });

  it('listens without waiting for the dead member, then joins and consumes', async () => {
    const topic = await createTestTopic(kafka, 'crash-restart', 1);
    const groupId = uniqueGroup('crash-restart');

    // Another process joins the group with a long session, then dies without leaving it.
    const member = `
      const { Kafka, logLevel } = require('kafkajs');
      const kafka = new Kafka({ brokers: ${JSON.stringify(process.env.KAFKA_BROKERS!.split(','))}, clientId: 'doomed', logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: ${JSON.stringify(groupId)}, sessionTimeout: 15000, heartbeatInterval: 3000 });
      consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('joined\\n'));
      (async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [${JSON.stringify(topic)}], fromBeginning: true });
        await consumer.run({ eachMessage: async () => undefined });
      })();`;
    crashed = spawn(process.execPath, ['-e', member], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      crashed!.stdout!.on('data', (d: Buffer) => d.toString().includes('joined') && resolve());
      crashed!.once('exit', (code) => reject(new Error(`the first member exited (${code}) before joining`)));
    });
    const gone = new Promise((resolve) => crashed!.once('exit', resolve));
    crashed.kill('SIGKILL');
    await gone;

    const seen: string[] = [];
    server = new KafkaInboxServer({ kafka, groupId, dataSource: db.dataSource, catalog: testCatalog });
    server.addHandler(topic, async (envelope: EventEnvelope, ctx: InboxContext) => {
      seen.push((envelope.data as { shopId: string }).shopId);
      await ctx.transaction.query('SELECT 1');
    });
    const started = Date.now();
    await new Promise<void>((resolve, reject) => server!.listen((err?: unknown) => (err ? reject(err) : resolve())));
    // Before: the dead member's whole session (15 s here). Now: connect and subscribe only.
    expect(Date.now() - started).toBeLessThan(8_000);

    await sendShopRegistered(producer, topic, 'after-crash');
    // Consumed once the broker gives up on the dead member (its 15 s session) and the group settles.
    await eventually(
      async () => seen.length,
      (n) => n === 1,
      60_000,
    );
    expect(seen).toEqual(['after-crash']);
  });

  it('stays stopped when closed while its group join is still in flight', async () => {
    const topic = await createTestTopic(kafka, 'close-joining', 1);
    const seen: string[] = [];
    // `listen` returns before the join completes, and a shutdown can come at any moment of it.
    const groups = [0, 2, 5, 10, 20].map((ms) => ({ ms, groupId: uniqueGroup(`close-joining-${ms}`) }));
    await Promise.all(
      groups.map(async ({ ms, groupId }) => {
        const early = new KafkaInboxServer({ kafka, groupId, dataSource: db.dataSource, catalog: testCatalog });
        early.addHandler(topic, async () => void seen.push(groupId));
        await new Promise<void>((resolve, reject) => early.listen((err?: unknown) => (err ? reject(err) : resolve())));
        await sleep(ms);
        await early.close();
      }),
    );

    await sendShopRegistered(producer, topic, 'late');
    // Long enough for kafkajs to have restarted a join it saw fail (its first retry is at 200 ms).
    await sleep(5_000);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeGroups(groups.map((g) => g.groupId));
      expect(described.groups.filter((g) => g.members.length > 0).map((g) => g.groupId)).toEqual([]);
    } finally {
      await admin.disconnect();
    }
    expect(seen).toEqual([]);
  });
});

/** One `shop.registered` event on the topic. */
async function sendShopRegistered(producer: Producer, topic: string, shopId: string): Promise<void> {
  const envelope = createEnvelope({
    type: 'shop.registered',
    version: 1,
    key: 'k',
    traceId: 't',
    data: { shopId, name: 'n', seq: 0 },
  });
  await producer.send({ topic, messages: [{ key: 'k', value: JSON.stringify(envelope) }] });
}
