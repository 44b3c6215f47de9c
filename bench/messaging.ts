import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createEnvelope } from '@cashless/contracts';
import { createDataSource, dropDatabase, prepareDatabase, withDatabase } from '@cashless/database';
import { dataDir, repoRoot, resolveKafka, resolvePostgres } from '@cashless/infra';
import { OutboxRelay, OutboxWriter, createKafka, ensureTopics, producerConfig } from '@cashless/messaging';
import { ConsumerReport, benchCatalog, benchMigrations } from './messaging-shared';
import { machineLine, percentile, writeBenchmarkSection } from './report';

/**
 * `npm run bench:messaging`: events per second through outbox → Kafka → inbox with the
 * consumer's effect committed, sustained for BENCH_DURATION_S seconds, and end-to-end latency
 * at a fixed lower rate; next to a same-run baseline of raw kafkajs produce → consume of the
 * same messages. The producing service (writers + outbox relay) runs in this process, the
 * consuming service in a child process, as they would in production.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const LATENCY_RATE = Number(process.env.BENCH_LATENCY_RATE ?? 1000);
const LATENCY_S = Number(process.env.BENCH_LATENCY_S ?? 10);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const EVENTS_PER_TX = Number(process.env.BENCH_EVENTS_PER_TX ?? 10);
const HANDLER = process.env.BENCH_HANDLER ?? 'batch';
const PARTITIONS = 6;
const KEYS = 1000;

interface Context {
  kafka: Kafka;
  brokers: string[];
  producerUrl: string;
  consumerUrl: string;
}

async function main(): Promise<void> {
  const root = repoRoot();
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const postgres = await resolvePostgres({ dataDir: dataDir(root), log });
  const kafkaHandle = await resolveKafka({ root, dataDir: dataDir(root), log });
  const suffix = randomBytes(3).toString('hex');
  const ctx: Context = {
    kafka: createKafka({ brokers: kafkaHandle.brokers, clientId: 'bench' }),
    brokers: kafkaHandle.brokers,
    producerUrl: withDatabase(postgres.serverUrl, `bench_producer_${suffix}`),
    consumerUrl: withDatabase(postgres.serverUrl, `bench_consumer_${suffix}`),
  };
  try {
    log(`Pipeline: ${DURATION_S} s at full speed, ${WRITERS} writers × ${EVENTS_PER_TX} events per transaction…`);
    const throughput = await measurePipelineThroughput(ctx);
    log(`Pipeline: ${LATENCY_S} s at ${LATENCY_RATE} events/s for latency…`);
    const latency = await measurePipelineLatency(ctx);
    log('Baseline: raw kafkajs produce → consume…');
    const baseline = await measureBaseline(ctx.kafka, throughput.delivered);
    const baselineLatency = await measureBaselineLatency(ctx.kafka);
    log('Baseline: the same business transactions without events…');
    const plainWrites = await measurePlainWrites(ctx);

    const table = [
      '| | events/s sustained | p50 latency | p99 latency |',
      '|---|---:|---:|---:|',
      `| outbox → Kafka → inbox, effect committed (${HANDLER} handler) | ${throughput.rate.toFixed(0)} | ${latency.p50} ms | ${latency.p99} ms |`,
      `| baseline: raw kafkajs produce → consume | ${baseline.rate.toFixed(0)} | ${baselineLatency.p50} ms | ${baselineLatency.p99} ms |`,
      `| baseline: the same business transactions, no events (rows/s) | ${plainWrites.rate.toFixed(0)} | | |`,
    ];
    const body = [
      `### ${HANDLER} handler, ${WRITERS} writers × ${EVENTS_PER_TX} events per transaction`,
      '',
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}; PostgreSQL ${postgres.source}, ` +
        `Kafka ${kafkaHandle.source}. Command: \`BENCH_HANDLER=${HANDLER} BENCH_WRITERS=${WRITERS} ` +
        `BENCH_EVENTS_PER_TX=${EVENTS_PER_TX} npm run bench:messaging\`.`,
      '',
      `Throughput window ${DURATION_S} s, ${KEYS} keys over ${PARTITIONS} partitions: ${throughput.produced} events ` +
        `written, ${throughput.delivered} with the consumer's effect committed inside the window; the rest ` +
        `drained ${throughput.drainMs} ms after the writers stopped. Latency at ${LATENCY_RATE} events/s ` +
        `(one event per transaction) for ${LATENCY_S} s, from the producer's commit to the consumer's commit.`,
      '',
      ...table,
      '',
      `The pipeline moves ${((throughput.rate / baseline.rate) * 100).toFixed(0)} % of the raw kafkajs rate ` +
        'while writing every event transactionally on both sides (outbox row, inbox row, effect row). ' +
        `The same writers commit ${((throughput.rate / plainWrites.rate) * 100).toFixed(0)} % of the rows/s they ` +
        'reach with no events and nothing else running; the difference is the work of the relay, the broker ' +
        'and the consumer, which share the same cores.',
    ].join('\n');
    process.stdout.write(`\n${body}\n`);
    writeBenchmarkSection(root, `messaging-${HANDLER}-${EVENTS_PER_TX}`, body);
  } finally {
    await dropDatabase(ctx.producerUrl).catch(() => undefined);
    await dropDatabase(ctx.consumerUrl).catch(() => undefined);
    await kafkaHandle.stop?.();
    await postgres.stop?.();
  }
}

interface Pipeline {
  producerDb: DataSource;
  producer: Producer;
  relay: OutboxRelay;
  consumer: ChildProcess;
  latencies: number[];
  topic: string;
}

async function startPipeline(ctx: Context, name: string): Promise<Pipeline> {
  // Fresh databases per phase, so each phase starts from empty tables.
  await dropDatabase(ctx.producerUrl);
  await dropDatabase(ctx.consumerUrl);
  await prepareDatabase({ url: ctx.producerUrl, applicationName: 'bench', migrations: benchMigrations });
  await prepareDatabase({ url: ctx.consumerUrl, applicationName: 'bench', migrations: benchMigrations });
  const topic = await benchTopic(ctx.kafka, name);
  const producerDb = createDataSource({
    url: ctx.producerUrl,
    applicationName: 'bench-producer',
    poolSize: WRITERS + 2,
  });
  await producerDb.initialize();
  const producer = ctx.kafka.producer(producerConfig);
  await producer.connect();
  const relay = new OutboxRelay(producerDb, producer, { batchSize: 2000, idleDelayMs: 5 });
  const latencies: number[] = [];
  const consumer = fork(join(__dirname, 'messaging-consumer.js'), {
    env: {
      ...process.env,
      DATABASE_URL: ctx.consumerUrl,
      KAFKA_BROKERS: ctx.brokers.join(','),
      BENCH_TOPIC: topic,
      BENCH_PARTITIONS: String(PARTITIONS),
      BENCH_HANDLER: HANDLER,
    },
  });
  await new Promise<void>((resolve, reject) => {
    consumer.on('message', (m: ConsumerReport) => {
      if (m.kind === 'ready') resolve();
      else if (m.kind === 'latencies') latencies.push(...m.values);
      else reject(new Error(`bench consumer failed: ${m.message}`));
    });
    consumer.once('exit', (code) => reject(new Error(`bench consumer exited (${code})`)));
  });
  relay.start();
  return { producerDb, producer, relay, consumer, latencies, topic };
}

async function stopPipeline(p: Pipeline): Promise<void> {
  const exited = new Promise((resolve) => p.consumer.once('exit', resolve));
  p.consumer.kill('SIGTERM');
  await exited;
  await p.relay.stop();
  await p.producer.disconnect();
  await p.producerDb.destroy();
}

async function benchTopic(kafka: Kafka, name: string): Promise<string> {
  const topic = `bench.${name}.${randomBytes(3).toString('hex')}.v1`;
  await ensureTopics(kafka, [
    { name: topic, partitions: PARTITIONS },
    { name: `${topic}.dlq`, partitions: 1 },
  ]);
  return topic;
}

const writer = new OutboxWriter(benchCatalog);

/** One business transaction: order rows plus their events, committed together. */
async function writeOrders(db: DataSource, topic: string, count: number, keyBase: number): Promise<void> {
  await db.transaction(async (em) => {
    const shops = Array.from({ length: count }, (_, i) => `shop-${(keyBase + i) % KEYS}`);
    await em.query(`INSERT INTO bench_order (shop, amount) SELECT s, 50000 FROM unnest($1::text[]) AS s`, [shops]);
    const sentAt = Date.now();
    await writer.append(
      em,
      shops.map((shop) => ({
        topic,
        type: 'bench.order_placed',
        version: 1,
        key: shop,
        traceId: 'bench',
        data: { shop, amount: 50000, sentAt },
      })),
    );
  });
}

async function countEffects(url: string): Promise<number> {
  const db = createDataSource({ url, applicationName: 'bench-count', poolSize: 1 });
  await db.initialize();
  try {
    const [row] = (await db.query('SELECT count(*)::int AS n FROM bench_effect')) as { n: number }[];
    return row.n;
  } finally {
    await db.destroy();
  }
}

async function measurePipelineThroughput(ctx: Context) {
  const p = await startPipeline(ctx, 'throughput');
  let produced = 0;
  const startedAt = Date.now();
  const deadline = startedAt + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      // Each writer has its own band of keys, as independent shops would.
      let k = w * Math.floor(KEYS / WRITERS);
      while (Date.now() < deadline) {
        await writeOrders(p.producerDb, p.topic, EVENTS_PER_TX, k);
        produced += EVENTS_PER_TX;
        k += EVENTS_PER_TX;
      }
    }),
  );
  const windowMs = Date.now() - startedAt;
  const delivered = await countEffects(ctx.consumerUrl);
  const drainStart = Date.now();
  while ((await countEffects(ctx.consumerUrl)) < produced) await sleep(100);
  const drainMs = Date.now() - drainStart;
  await stopPipeline(p);
  return { rate: (delivered / windowMs) * 1000, delivered, produced, drainMs };
}

/** The writers' transactions without the outbox: what PostgreSQL alone allows here. */
async function measurePlainWrites(ctx: Context) {
  await dropDatabase(ctx.producerUrl);
  await prepareDatabase({ url: ctx.producerUrl, applicationName: 'bench', migrations: benchMigrations });
  const db = createDataSource({ url: ctx.producerUrl, applicationName: 'bench-plain', poolSize: WRITERS + 2 });
  await db.initialize();
  const seconds = Math.min(DURATION_S, 10);
  let rows = 0;
  const startedAt = Date.now();
  const deadline = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      let k = w * Math.floor(KEYS / WRITERS);
      while (Date.now() < deadline) {
        const shops = Array.from({ length: EVENTS_PER_TX }, (_, i) => `shop-${(k + i) % KEYS}`);
        await db.transaction((em) =>
          em.query(`INSERT INTO bench_order (shop, amount) SELECT s, 50000 FROM unnest($1::text[]) AS s`, [shops]),
        );
        rows += EVENTS_PER_TX;
        k += EVENTS_PER_TX;
      }
    }),
  );
  const rate = (rows / (Date.now() - startedAt)) * 1000;
  await db.destroy();
  return { rate };
}

async function measurePipelineLatency(ctx: Context) {
  const p = await startPipeline(ctx, 'latency');
  await sleep(2000); // let the consumer group settle before timing
  p.consumer.send({ kind: 'record-latency' });
  const written = await paced(async (n, base) => {
    await Promise.all(Array.from({ length: n }, (_, i) => writeOrders(p.producerDb, p.topic, 1, base + i)));
  });
  while (p.latencies.length < written) await sleep(50);
  await stopPipeline(p);
  return summarise(p.latencies);
}

/** Calls `send` every 10 ms with the number of events due, for LATENCY_S seconds at LATENCY_RATE. */
async function paced(send: (n: number, base: number) => Promise<void>): Promise<number> {
  const total = LATENCY_RATE * LATENCY_S;
  const perTick = Math.max(1, Math.round(LATENCY_RATE / 100));
  const start = Date.now();
  let written = 0;
  for (let tick = 0; written < total; tick++) {
    const wait = start + tick * 10 - Date.now();
    if (wait > 0) await sleep(wait);
    await send(perTick, written);
    written += perTick;
  }
  return written;
}

function summarise(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function sampleEnvelope(i: number): string {
  const shop = `shop-${i % KEYS}`;
  return JSON.stringify(
    createEnvelope({
      type: 'bench.order_placed',
      version: 1,
      key: shop,
      traceId: 'bench',
      data: { shop, amount: 50000, sentAt: Date.now() },
    }),
  );
}

async function rawConsumer(kafka: Kafka, topic: string, onValue: (value: Buffer) => void) {
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) onValue(m.value!);
    },
  });
  return consumer;
}

async function measureBaseline(kafka: Kafka, count: number) {
  const topic = await benchTopic(kafka, 'baseline');
  let consumed = 0;
  const consumer = await rawConsumer(kafka, topic, () => void consumed++);
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  const started = Date.now();
  for (let sent = 0; sent < count; sent += 2000) {
    const n = Math.min(2000, count - sent);
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: n }, (_, i) => ({
        key: `shop-${(sent + i) % KEYS}`,
        value: sampleEnvelope(sent + i),
      })),
    });
  }
  while (consumed < count) await sleep(20);
  const elapsed = Date.now() - started;
  await producer.disconnect();
  await consumer.disconnect();
  return { rate: (count / elapsed) * 1000 };
}

async function measureBaselineLatency(kafka: Kafka) {
  const topic = await benchTopic(kafka, 'baseline-latency');
  const latencies: number[] = [];
  const consumer = await rawConsumer(kafka, topic, (value) => {
    latencies.push(Date.now() - (JSON.parse(value.toString()) as { data: { sentAt: number } }).data.sentAt);
  });
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  await sleep(2000);
  const written = await paced(async (n, base) => {
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        producer.send({
          topic,
          acks: -1,
          messages: [{ key: `shop-${(base + i) % KEYS}`, value: sampleEnvelope(base + i) }],
        }),
      ),
    );
  });
  while (latencies.length < written) await sleep(50);
  await producer.disconnect();
  await consumer.disconnect();
  return summarise(latencies);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:messaging failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
