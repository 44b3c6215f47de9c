import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@cashless/contracts';
import { createDataSource, databaseNameOf, dropDatabase, prepareDatabase, withDatabase } from '@cashless/database';
import { dataDir, repoRoot, resolveKafka, resolvePostgres } from '@cashless/infra';
import { KafkaInboxServer, createKafka, ensureTopics } from '@cashless/messaging';
import type { InboxContext } from '@cashless/messaging';
import { ledgerDatabase } from '../apps/ledger/src/database';
import { ledgerCatalog } from '../apps/ledger/src/events';
import { verifyJournal } from '../apps/ledger/src/journal/chain-reader';
import { JournalRepository } from '../apps/ledger/src/journal/journal.repository';
import { postPaymentEvents } from '../apps/ledger/src/posting/payment-events.controller';
import {
  cpuSample,
  cpuShares,
  deleteTopics,
  localBrokerPid,
  paymentStream,
  postmasterOf,
  preload,
} from './ledger-load';
import type { CpuShares } from './ledger-load';
import { measureDatabaseFloor } from './ledger-floor';
import type { FloorRun } from './ledger-floor';
import { machineLine, writeBenchmarkSection } from './report';

/**
 * `npm run bench:ledger`: journal postings per second from Kafka into PostgreSQL (hash chains,
 * balance buckets, one `ledger.transaction_posted` outbox row per posting, inbox rows), sustained
 * for BENCH_DURATION_S seconds from a topic pre-loaded with payment events, in two shapes: spread
 * over many merchants, and with half of all payments going to one merchant (a hot account). Next
 * to a same-run naive baseline: the same handler and rules, one database transaction per event.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 30);
const BASELINE_S = Number(process.env.BENCH_BASELINE_S ?? 10);
/** Seconds of the database floor (PostgreSQL alone writing the same rows); 0 skips it. */
const FLOOR_S = Number(process.env.BENCH_FLOOR_S ?? 15);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 2000);
const PARTITIONS = 6;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? PARTITIONS);
/** Events pre-loaded per scenario: enough for the window at a rate above the goal. */
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? DURATION_S * 16_000);
const MERCHANTS = 2000;
/** Share of payments that are unattributed transfers later assigned by an officer. */
const ASSIGNED = Number(process.env.BENCH_ASSIGNED ?? 0.01);

interface Scenario {
  name: string;
  title: string;
  /** Share of payments going to merchant 0. */
  hotShare: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'spread', title: `spread over ${MERCHANTS} merchants`, hotShare: 0 },
  { name: 'hot', title: 'half of all payments to one merchant', hotShare: 0.5 },
].filter((s) => (process.env.BENCH_SCENARIOS ?? 'spread,hot').split(',').includes(s.name));

/** How the consumer runs: events per database transaction, partitions processed at once. */
interface RunSpec {
  label: string;
  chunkSize: number;
  concurrency: number;
  seconds: number;
}

const RUNS: RunSpec[] = [
  {
    label: `batched: ${CHUNK} events per transaction, ${CONCURRENCY} partitions at once`,
    chunkSize: CHUNK,
    concurrency: CONCURRENCY,
    seconds: DURATION_S,
  },
  // What `main.ts` runs today: the platform's InboxServerFactory defaults.
  {
    label: 'batched, service defaults: 250 events per transaction, 3 partitions at once',
    chunkSize: 250,
    concurrency: 3,
    seconds: DURATION_S,
  },
  {
    label: `naive baseline: one transaction per event, ${CONCURRENCY} partitions at once`,
    chunkSize: 1,
    concurrency: CONCURRENCY,
    seconds: BASELINE_S,
  },
].filter((r) => r.seconds > 0);

interface Run {
  spec: RunSpec;
  postings: number;
  events: number;
  seconds: number;
  drained: boolean;
  cpu: CpuShares;
  verified: string;
  /** Samples of the bench database's busy backends, and how many of them waited on a lock. */
  locks: { waiting: number; busy: number };
}

async function main(): Promise<void> {
  const root = repoRoot();
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const postgres = await resolvePostgres({ dataDir: dataDir(root), log });
  const kafkaHandle = await resolveKafka({ root, dataDir: dataDir(root), log });
  const kafka = createKafka({ brokers: kafkaHandle.brokers, clientId: 'bench-ledger' });
  const dbUrl = withDatabase(postgres.serverUrl, `bench_ledger_${randomBytes(3).toString('hex')}`);
  const results: { scenario: Scenario; runs: Run[] }[] = [];
  const topics: string[] = [];
  // Anything else running on the machine takes CPU from the run: say how busy it was.
  const loadBefore = loadavg()[0];
  try {
    for (const scenario of SCENARIOS) {
      const topic = await benchTopic(kafka, scenario.name);
      topics.push(topic);
      log(`${scenario.name}: pre-loading ${PRELOAD} payment events into ${topic}…`);
      await preload(
        kafka,
        topic,
        paymentStream({ merchants: MERCHANTS, hotShare: scenario.hotShare, assigned: ASSIGNED }, PRELOAD),
      );
      const runs: Run[] = [];
      for (const spec of RUNS) {
        log(`${scenario.name}: ${spec.label}, for ${spec.seconds} s…`);
        const run = await consume(kafka, localBrokerPid(kafkaHandle.brokers), dbUrl, topic, spec, log);
        log(`${scenario.name}: ${(run.postings / run.seconds).toFixed(0)} postings/s`);
        runs.push(run);
      }
      results.push({ scenario, runs });
    }
    let floor: FloorRun | undefined;
    if (FLOOR_S > 0) {
      log(
        `database floor: PostgreSQL alone writing the postings' rows, ${CONCURRENCY} lanes × ${CHUNK}, ${FLOOR_S} s…`,
      );
      floor = await measureDatabaseFloor(dbUrl, {
        seconds: FLOOR_S,
        lanes: CONCURRENCY,
        batch: CHUNK,
        merchants: MERCHANTS,
      });
      log(`database floor: ${(floor.postings / floor.seconds).toFixed(0)} postings/s`);
    }
    const body = report(results, floor, postgres.source, kafkaHandle.source, [loadBefore, loadavg()[0]]);
    process.stdout.write(`\n${body}\n`);
    writeBenchmarkSection(root, 'ledger', body);
  } finally {
    await deleteTopics(kafka, topics).catch(() => undefined);
    await dropDatabase(dbUrl).catch(() => undefined);
    await kafkaHandle.stop?.();
    await postgres.stop?.();
  }
}

async function benchTopic(kafka: Kafka, name: string): Promise<string> {
  const topic = `bench.ledger-${name}.${randomBytes(3).toString('hex')}.v1`;
  await ensureTopics(kafka, [
    { name: topic, partitions: PARTITIONS },
    { name: `${topic}.dlq`, partitions: 1 },
  ]);
  return topic;
}

/** Runs the ledger's consumer on a fresh database for `seconds` from its first commit. */
async function consume(
  kafka: Kafka,
  brokerPid: number | undefined,
  url: string,
  topic: string,
  spec: RunSpec,
  log: (m: string) => void,
): Promise<Run> {
  await dropDatabase(url);
  await prepareDatabase({ ...ledgerDatabase, url, applicationName: 'bench-ledger' });
  const dataSource: DataSource = createDataSource({
    ...ledgerDatabase,
    url,
    applicationName: 'bench-ledger',
    poolSize: spec.concurrency + 3,
  });
  await dataSource.initialize();
  const journal = new JournalRepository(dataSource, { eventsTopic: 'bench.ledger-out.v1', catalog: ledgerCatalog });
  let postings = 0;
  let events = 0;
  let firstAt = 0;
  const pending = new Map<number, number>();
  const server = new KafkaInboxServer({
    kafka,
    groupId: `bench-ledger-${randomBytes(3).toString('hex')}`,
    dataSource,
    catalog: ledgerCatalog,
    chunkSize: spec.chunkSize,
    partitionsConsumedConcurrently: spec.concurrency,
    // Counted after the chunk's transaction and offset commit.
    onProcessed: (count, source) => {
      if (firstAt === 0) firstAt = Date.now();
      events += count;
      postings += pending.get(source.partition) ?? 0;
      pending.set(source.partition, 0);
    },
  });
  server.addHandler(
    topic,
    async (envelopes: EventEnvelope[], ctx: InboxContext) => {
      const plan = await postPaymentEvents(journal, envelopes, ctx);
      pending.set(ctx.partition, (pending.get(ctx.partition) ?? 0) + plan.links.length);
    },
    true,
    { batch: true },
  );
  await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err) : resolve())));
  while (firstAt === 0) await sleep(5);
  const postmaster = await postmasterOf(dataSource);
  const cpuStart = cpuSample(postmaster, databaseNameOf(url), [process.pid], brokerPid);
  const deadline = firstAt + spec.seconds * 1000;
  let drained = false;
  let lastEvents = -1;
  const locks = { waiting: 0, busy: 0 };
  while (Date.now() < deadline) {
    await sleep(Math.min(250, Math.max(1, deadline - Date.now())));
    // What the database's busy backends are doing: a hot account would show as lock waits.
    const [sample] = (await dataSource.query(
      `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting, count(*)::int AS busy
       FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    )) as { waiting: number; busy: number }[];
    locks.waiting += sample.waiting;
    locks.busy += sample.busy;
    // The topic ran dry before the window ended: the rate is over the time it took.
    if (events === lastEvents && events >= PRELOAD) {
      drained = true;
      break;
    }
    lastEvents = events;
  }
  const seconds = (Date.now() - firstAt) / 1000;
  const counted = { postings, events };
  const cpu = cpuShares(cpuStart, cpuSample(postmaster, databaseNameOf(url), [process.pid], brokerPid));
  await server.close();
  const verification = await verifyJournal((sql, params) => dataSource.query(sql, params), 10_000);
  const verified = verification.ok
    ? `ok (${verification.checked} transactions, ${verification.chains} chains)`
    : `BROKEN at ${verification.broken.chainId}#${verification.broken.chainSeq}`;
  log(`  journal verify: ${verified}`);
  await dataSource.destroy();
  return { spec, ...counted, seconds, drained, cpu, verified, locks };
}

function report(
  results: { scenario: Scenario; runs: Run[] }[],
  floor: FloorRun | undefined,
  postgresSource: string,
  kafkaSource: string,
  load: [number, number],
): string {
  const rate = (r: Run) => r.postings / r.seconds;
  const perPosting = (cores: number, r: Run) => (cores * r.seconds * 1e6) / Math.max(1, r.postings);
  const rows = results.flatMap(({ scenario, runs }) =>
    runs.map(
      (r) =>
        `| ${scenario.title} | ${r.spec.label} | ${rate(r).toFixed(0)} | ${r.postings} in ${r.seconds.toFixed(1)} s` +
        `${r.drained ? ' (topic drained)' : ''} | ${r.cpu.node.toFixed(2)} / ${r.cpu.postgres.toFixed(2)} / ` +
        `${r.cpu.kafka.toFixed(2)} | ${perPosting(r.cpu.node, r).toFixed(0)} / ${perPosting(r.cpu.postgres, r).toFixed(0)} | ` +
        `${r.locks.waiting} of ${r.locks.busy} |`,
    ),
  );
  const best = results.flatMap((x) => x.runs.filter((r) => r.spec.chunkSize === CHUNK));
  const cost = (pick: (c: CpuShares) => number) =>
    best.reduce((sum, r) => sum + perPosting(pick(r.cpu), r), 0) / Math.max(1, best.length);
  const total = cost((c) => c.node + c.postgres + c.kafka);
  return [
    '## Ledger: postings from Kafka into PostgreSQL (bench:ledger)',
    '',
    'Goal (issue 6): at least 20,000 postings/s sustained for 30 s, with the hash chain.',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}; PostgreSQL ${postgresSource}, Kafka ${kafkaSource}; ` +
      `1-minute load average ${load[0].toFixed(1)} before and ${load[1].toFixed(1)} after the run. ` +
      `Command: \`BENCH_DURATION_S=${DURATION_S} BENCH_CHUNK=${CHUNK} BENCH_CONCURRENCY=${CONCURRENCY} npm run bench:ledger\`.`,
    '',
    `Each scenario pre-loads ${PRELOAD} payment events (60 % dynamic-QR, 30 % static-QR payments, 10 % unattributed ` +
      `transfers, one in ten of them later assigned; every event posts one transaction) into a topic of ${PARTITIONS} ` +
      "partitions. Then the ledger's consumer (KafkaInboxServer with the ledger's batch handler, in this process) posts " +
      'them into a fresh database; the rate counts postings committed with their offsets, from the first commit on. ' +
      "Every posting writes its transaction with its hash-chain link, its entries, its lane's balance buckets, the " +
      'inbox row of its event and its `ledger.transaction_posted` outbox row (the relay, which would publish those, is ' +
      'not running). After each run `ledger verify` checks every chain. CPU is measured from /proc over the window: ' +
      "this process; the PostgreSQL backends of the bench's database with the server's WAL writer, checkpointer " +
      'and background writer; the Kafka broker. Every 250 ms the busy backends of the database are sampled ' +
      '(`pg_stat_activity`): the last column counts those found waiting on a lock.',
    '',
    '| scenario | run | postings/s | postings | CPU cores: node / postgres / kafka | CPU µs per posting: node / postgres | busy backends waiting on a lock (samples) |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...results.map(({ scenario, runs }) => `- ${scenario.title}: journal verify ${runs[0].verified}.`),
    `- CPU per posting in the batched runs: about ${cost((c) => c.node).toFixed(0)} µs in Node (Kafka decoding, ` +
      `event validation, posting rules, hashing, JSON), ${cost((c) => c.postgres).toFixed(0)} µs in PostgreSQL and ` +
      `${cost((c) => c.kafka).toFixed(0)} µs in the broker: with both cores fully used, about ` +
      `${((2 * 1e6) / total).toFixed(0)} postings/s on this machine.`,
    ...(floor
      ? [
          '',
          floorLine(
            floor,
            cost((c) => c.node + c.kafka),
          ),
        ]
      : []),
    '',
    'What limits it. The batched runs are bound by CPU, not by locks: the two cores are shared by this process, ' +
      'PostgreSQL and the broker (and by whatever else runs: see the load averages), and the CPU per posting ' +
      'above puts the ceiling of this design here far below 20,000/s. PostgreSQL writes about 3 KB of WAL per ' +
      'posting (inbox row, transaction, two entries, balance buckets, outbox row of about 900 bytes); Node decodes ' +
      'and validates the event, applies the rule, hashes the link and builds and validates the outgoing event. ' +
      'The lock waits are the outbox’s per-key locks (ADR 3) where an assignment, travelling in the transfer’s ' +
      'partition, meets the lane of the merchant it credits; without assignments they vanish and the rate stays the ' +
      'same. With half of the payments to one merchant, that merchant’s partition carries about 58 % of the events ' +
      'and posts them one transaction at a time; its accounts and chain are its lane’s own, so nothing else waits ' +
      'for it, and its CPU per posting is close to the spread run’s.',
    '',
    'What was tried, in development runs on this machine: batching (the naive baseline is 30–55× slower, bound by ' +
      'one commit per event); larger chunks and all partitions at once (2000 events per transaction and 6 ' +
      'partitions against the service’s defaults of 250 and 3: +45–85 %); creating accounts in their own short ' +
      'transaction (lanes had been waiting for each other’s batches wherever two of them met a new account: about ' +
      '2× while the chart fills); writing rows as JSON record sets instead of one array per column (`pg` escapes ' +
      'array elements in JavaScript, 60–140 µs per event payload, more than the rest of a posting); remembering ' +
      'account ids; keying transactions by chain position instead of by a hashed id. Next steps: ADR 0011.',
  ].join('\n');
}

/** The database floor and what it leaves for everything else on the machine's two cores. */
function floorLine(floor: FloorRun, otherMicros: number): string {
  const rate = floor.postings / floor.seconds;
  const pgMicros = (floor.postgresCores * floor.seconds * 1e6) / Math.max(1, floor.postings);
  const ceiling = (2 * 1e6) / (pgMicros + otherMicros);
  return (
    `- Database floor (same run, \`bench/ledger-floor.ts\`): PostgreSQL alone writing the same rows per posting ` +
    '(journal transaction with its chain link and memo, two entries, inbox row, outbox row of about 900 bytes, the ' +
    "lane's balance buckets), every batch generated inside the server by one statement, nothing else running: " +
    `**${rate.toFixed(0)} postings/s** (${floor.postings} in ${floor.seconds.toFixed(1)} s, ${floor.lanes} lanes × ` +
    `${floor.batch} per transaction, ${floor.postgresCores.toFixed(2)} cores of PostgreSQL, ${pgMicros.toFixed(0)} µs ` +
    `per posting). Adding the ${otherMicros.toFixed(0)} µs per posting that Node and the broker spent in the batched ` +
    `runs above, two fully used cores post at most about ${ceiling.toFixed(0)}/s with these rows.`
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:ledger failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
