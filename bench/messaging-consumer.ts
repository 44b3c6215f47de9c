import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from '@cashless/contracts';
import { createDataSource } from '@cashless/database';
import type { InboxContext } from '@cashless/messaging';
import { KafkaInboxServer, createKafka } from '@cashless/messaging';
import { ConsumerReport, OrderPlaced, benchCatalog, benchMigrations } from './messaging-shared';

/**
 * The consuming "service" of bench:messaging, in its own process as in production: a
 * KafkaInboxServer whose handler writes one effect row per event in the inbox transaction.
 * BENCH_HANDLER=batch (default) writes a chunk's rows with one statement; =single, one per event.
 */
const send = (report: ConsumerReport) => process.send?.(report);

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const batch = (env.BENCH_HANDLER ?? 'batch') === 'batch';
  const partitions = Number(env.BENCH_PARTITIONS);
  const dataSource = createDataSource({
    url: env.DATABASE_URL,
    applicationName: 'bench-consumer',
    migrations: benchMigrations,
    poolSize: partitions + 2,
  });
  await dataSource.initialize();
  const pending = new Map<number, number[]>();
  let recordLatency = false;
  process.on('message', (m: { kind: string }) => {
    if (m.kind === 'record-latency') recordLatency = true;
  });
  const server = new KafkaInboxServer({
    kafka: createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'bench-consumer' }),
    groupId: `bench-${randomBytes(3).toString('hex')}`,
    dataSource,
    catalog: benchCatalog,
    chunkSize: 500,
    partitionsConsumedConcurrently: partitions,
    // Latency is taken after the consumer's transaction and offset commit, per partition.
    onProcessed: (_count, source) => {
      const list = pending.get(source.partition);
      if (!list?.length) return;
      const now = Date.now();
      send({ kind: 'latencies', values: list.map((sentAt) => now - sentAt) });
      pending.set(source.partition, []);
    },
  });
  const remember = (envelopes: EventEnvelope<OrderPlaced>[], partition: number) => {
    if (!recordLatency) return;
    const list = pending.get(partition) ?? [];
    for (const e of envelopes) list.push(e.data.sentAt);
    pending.set(partition, list);
  };
  if (batch) {
    server.addHandler(
      env.BENCH_TOPIC,
      async (envelopes: EventEnvelope<OrderPlaced>[], ctx: InboxContext) => {
        await ctx.transaction.query(
          `INSERT INTO bench_effect (event_id, shop, amount)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[])`,
          [envelopes.map((e) => e.id), envelopes.map((e) => e.data.shop), envelopes.map((e) => e.data.amount)],
        );
        remember(envelopes, ctx.partition);
      },
      true,
      { batch: true },
    );
  } else {
    server.addHandler(
      env.BENCH_TOPIC,
      async (envelope: EventEnvelope<OrderPlaced>, ctx: InboxContext) => {
        await ctx.transaction.query('INSERT INTO bench_effect (event_id, shop, amount) VALUES ($1, $2, $3)', [
          envelope.id,
          envelope.data.shop,
          envelope.data.amount,
        ]);
        remember([envelope], ctx.partition);
      },
      true,
    );
  }
  await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err) : resolve())));
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => dataSource.destroy())
      .finally(() => process.exit(0));
  });
  send({ kind: 'ready' });
}

main().catch((error: unknown) => {
  send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
