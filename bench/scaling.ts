import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Kafka } from 'kafkajs';
import { createDataSource, databaseNameOf, dropDatabase, prepareDatabase, withDatabase } from '@cashless/database';
import { dataDir, repoRoot, resolveKafka, resolvePostgres } from '@cashless/infra';
import { createKafka, ensureTopics } from '@cashless/messaging';
import { ledgerDatabase } from '../apps/ledger/src/database';
import { verifyJournal } from '../apps/ledger/src/journal/chain-reader';
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
import { machineLine, writeBenchmarkSection } from './report';
import type { ScalingConsumerReport } from './scaling-consumer';

/**
 * `npm run bench:scaling`: the scaling curve of a partition-bound consumer on this machine.
 * Events per second committed by the ledger's consumer (KafkaInboxServer with the ledger's batch
 * posting handler: hash chains, balance buckets, inbox and outbox rows) from a pre-loaded topic
 * into PostgreSQL, against (a) the topic's partitions with one consumer instance and (b) consumer
 * instances, each its own process, in one consumer group over one topic. Every point gets a
 * fresh pre-loaded topic, a fresh database and a fresh consumer group; the rate is
 * taken from the group's committed offsets (committed after the database transaction, ADR 4)
 * once the group is stable with every instance in it. Same-run baseline: one instance on one
 * partition.
 */
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 10);
const PARTITION_STEPS = list(process.env.BENCH_PARTITIONS ?? '1,3,6,12');
const INSTANCE_STEPS = list(process.env.BENCH_INSTANCES ?? '1,2,4');
/** Partitions of the topic the instance curve runs on. */
const INSTANCE_PARTITIONS = Number(process.env.BENCH_INSTANCE_PARTITIONS ?? Math.max(...PARTITION_STEPS));
/** The ledger service's defaults (the platform's inbox server factory): chunk and concurrency. */
const CHUNK = Number(process.env.BENCH_CHUNK ?? 250);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 3);
/** Events pre-loaded per topic: the window at the best rate here, plus what start-up consumes. */
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 150_000);
const VERIFY = process.env.BENCH_VERIFY !== '0';
/** Every point is measured this many times, round after round; the table keeps the best. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const MERCHANTS = 2000;
const ASSIGNED = 0.01;
const GROUP_TIMEOUT_MS = 60_000;

function list(value: string): number[] {
  return value
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

interface Point {
  partitions: number;
  instances: number;
}

interface Measured extends Point {
  round: number;
  events: number;
  seconds: number;
  drained: boolean;
  /** The group left the Stable state during the window (a member rejoined). */
  rebalanced: boolean;
  cpu: CpuShares;
  /** Load average (1 minute) when the window opened. */
  load: number;
  checks: Checks;
}

interface Checks {
  committed: number;
  inbox: number;
  postings: number;
  deadLetters: number;
  verified: string;
  /** On-disk bytes (tables and indexes) of the journal and of the inbox. */
  journalBytes: number;
  inboxBytes: number;
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<void> {
  const root = repoRoot();
  const startedAt = Date.now();
  const postgres = await resolvePostgres({ dataDir: dataDir(root), log });
  const kafkaHandle = await resolveKafka({ root, dataDir: dataDir(root), log });
  const kafka = createKafka({ brokers: kafkaHandle.brokers, clientId: 'bench-scaling' });
  const dbUrl = withDatabase(postgres.serverUrl, `bench_scaling_${randomBytes(3).toString('hex')}`);
  const topics: string[] = [];
  const results: Measured[] = [];
  // Anything else running on the machine takes CPU from the run: say how busy it was.
  const loadBefore = loadavg()[0];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const point of points()) {
        // A fresh topic per point: no point reads what the broker cached for another.
        const topic = await benchTopic(kafka, point.partitions);
        topics.push(topic);
        const loadStart = Date.now();
        const sent = await preload(
          kafka,
          topic,
          paymentStream({ merchants: MERCHANTS, hotShare: 0, assigned: ASSIGNED }, PRELOAD),
        );
        log(`${topic}: ${sent} payment events pre-loaded in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);
        log(`round ${round}: ${point.partitions} partitions × ${point.instances} instances, ${WINDOW_S} s…`);
        const measured = await runPoint(kafka, kafkaHandle.brokers, dbUrl, topic, point, round);
        log(
          `  ${(measured.events / measured.seconds).toFixed(0)} events/s; committed ${measured.checks.committed}, ` +
            `inbox ${measured.checks.inbox}, postings ${measured.checks.postings}, verify ${measured.checks.verified}`,
        );
        results.push(measured);
        await deleteTopics(kafka, [topics.pop()!]);
      }
    }
    const body = report(results, {
      postgres: postgres.source,
      kafka: kafkaHandle.source,
      load: [loadBefore, loadavg()[0]],
      minutes: (Date.now() - startedAt) / 60_000,
    });
    process.stdout.write(`\n${body}\n`);
    writeBenchmarkSection(root, 'scaling', body);
  } finally {
    await deleteTopics(kafka, topics).catch(() => undefined);
    await dropDatabase(dbUrl).catch(() => undefined);
    await kafkaHandle.stop?.();
    await postgres.stop?.();
  }
}

/** The partition curve with one instance, then the instance curve on INSTANCE_PARTITIONS. */
function points(): Point[] {
  const all: Point[] = [
    ...PARTITION_STEPS.map((partitions) => ({ partitions, instances: 1 })),
    ...INSTANCE_STEPS.map((instances) => ({ partitions: INSTANCE_PARTITIONS, instances })),
  ];
  return all.filter(
    (p, i) =>
      p.instances <= p.partitions &&
      all.findIndex((q) => q.partitions === p.partitions && q.instances === p.instances) === i,
  );
}

async function benchTopic(kafka: Kafka, partitions: number): Promise<string> {
  const topic = `bench.scaling-p${partitions}.${randomBytes(3).toString('hex')}.v1`;
  await ensureTopics(kafka, [
    { name: topic, partitions },
    { name: `${topic}.dlq`, partitions: 1 },
  ]);
  return topic;
}

async function runPoint(
  kafka: Kafka,
  brokers: string[],
  url: string,
  topic: string,
  point: Point,
  round: number,
): Promise<Measured> {
  // An admin client per point: one that had seen an earlier point's (deleted) topic would keep
  // asking the broker for its metadata and fail.
  const admin = kafka.admin();
  await admin.connect();
  await dropDatabase(url);
  await prepareDatabase({ ...ledgerDatabase, url, applicationName: 'bench-scaling' });
  const db = createDataSource({ ...ledgerDatabase, url, applicationName: 'bench-scaling-driver', poolSize: 2 });
  await db.initialize();
  const groupId = `bench-scaling-${randomBytes(3).toString('hex')}`;
  const total = await topicEnd(admin, topic);
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < point.instances; i++) {
      children.push(
        fork(join(__dirname, 'scaling-consumer.js'), {
          env: {
            ...process.env,
            DATABASE_URL: url,
            KAFKA_BROKERS: brokers.join(','),
            INSTANCE_ID: String(i),
            BENCH_GROUP: groupId,
            BENCH_TOPIC: topic,
            BENCH_CHUNK: String(CHUNK),
            BENCH_CONCURRENCY: String(CONCURRENCY),
          },
        }),
      );
    }
    await Promise.all(children.map(ready));
    // Measure only once every instance holds its share: a join rebalances the whole group.
    await waitForStableGroup(admin, groupId, point.instances);
    const postmaster = await postmasterOf(db);
    const pids = children.map((c) => c.pid!);
    const brokerPid = localBrokerPid(brokers);
    const load = loadavg()[0];
    const cpuStart = cpuSample(postmaster, databaseNameOf(url), pids, brokerPid);
    const committedStart = await committed(admin, groupId, topic);
    const openedAt = Date.now();
    const deadline = openedAt + WINDOW_S * 1000;
    let committedNow = committedStart;
    let drained = false;
    let rebalanced = false;
    while (Date.now() < deadline) {
      await sleep(Math.min(500, Math.max(1, deadline - Date.now())));
      committedNow = await committed(admin, groupId, topic);
      if ((await groupState(admin, groupId)).state !== 'Stable') rebalanced = true;
      // The topic ran dry before the window ended: the rate is over the time it took.
      if (committedNow >= total) {
        drained = true;
        break;
      }
    }
    const seconds = (Date.now() - openedAt) / 1000;
    const cpu = cpuShares(cpuStart, cpuSample(postmaster, databaseNameOf(url), pids, brokerPid));
    await Promise.all(children.map(stop));
    const checks = await check(admin, db, groupId, topic);
    return { ...point, round, events: committedNow - committedStart, seconds, drained, rebalanced, cpu, load, checks };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db.destroy();
    await admin.disconnect();
  }
}

function ready(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    child.on('message', (m: ScalingConsumerReport) => {
      if (m.kind === 'ready') resolve();
      else reject(new Error(`bench consumer failed: ${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`bench consumer exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

async function groupState(admin: Admin, groupId: string): Promise<{ state: string; members: number }> {
  const { groups } = await admin.describeGroups([groupId]);
  return { state: groups[0]?.state ?? 'Unknown', members: groups[0]?.members.length ?? 0 };
}

async function waitForStableGroup(admin: Admin, groupId: string, members: number): Promise<void> {
  const deadline = Date.now() + GROUP_TIMEOUT_MS;
  for (;;) {
    const group = await groupState(admin, groupId);
    if (group.state === 'Stable' && group.members === members) return;
    if (Date.now() > deadline) {
      throw new Error(`group ${groupId} not stable with ${members} members (${group.state}, ${group.members})`);
    }
    await sleep(200);
  }
}

/** Messages the group has committed on the topic: its offsets summed (the topic starts at 0). */
async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function topicEnd(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/**
 * After the instances stopped: the inbox rows, the postings (one per event in this stream) and the
 * group's committed offsets, dead letters, and every lane's chain verified.
 */
async function check(
  admin: Admin,
  db: ReturnType<typeof createDataSource>,
  groupId: string,
  topic: string,
): Promise<Checks> {
  const [row] = (await db.query(
    `SELECT (SELECT count(*) FROM inbox_message)::int AS inbox,
            (SELECT count(*) FROM ledger_transaction)::int AS postings,
            (SELECT count(*) FROM dead_letter)::int AS dead_letters,
            (pg_total_relation_size('ledger_transaction') + pg_total_relation_size('ledger_entry'))::bigint
              AS journal_bytes,
            pg_total_relation_size('inbox_message')::bigint AS inbox_bytes`,
  )) as { inbox: number; postings: number; dead_letters: number; journal_bytes: string; inbox_bytes: string }[];
  let verified = 'skipped';
  if (VERIFY) {
    const result = await verifyJournal((sql, params) => db.query(sql, params), 10_000);
    verified = result.ok
      ? `ok (${result.checked} transactions, ${result.chains} chains)`
      : `BROKEN at ${result.broken.chainId}#${result.broken.chainSeq}`;
  }
  return {
    committed: await committed(admin, groupId, topic),
    inbox: row.inbox,
    postings: row.postings,
    deadLetters: row.dead_letters,
    verified,
    journalBytes: Number(row.journal_bytes),
    inboxBytes: Number(row.inbox_bytes),
  };
}

interface RunInfo {
  postgres: string;
  kafka: string;
  load: [number, number];
  minutes: number;
}

function report(results: Measured[], info: RunInfo): string {
  const rate = (r: Measured) => r.events / r.seconds;
  // Per point, the round that got the most of the shared machine: other work only ever slows a
  // round down, so the best round is the closest to what the point can do here.
  const bestOf = points().map((p) =>
    results
      .filter((r) => r.partitions === p.partitions && r.instances === p.instances)
      .reduce((a, b) => (rate(b) > rate(a) ? b : a)),
  );
  const base = bestOf.find((r) => r.partitions === 1 && r.instances === 1) ?? bestOf[0];
  // Per event, Node and PostgreSQL only: the broker may be shared with other clients.
  const perEvent = (cores: number, r: Measured) => ((cores * r.seconds * 1e6) / Math.max(1, r.events)).toFixed(0);
  const rounds = (p: Point) =>
    results
      .filter((r) => r.partitions === p.partitions && r.instances === p.instances)
      .map((r) => `${rate(r).toFixed(0)}${r.drained ? ' (drained)' : ''}${r.rebalanced ? ' (rebalanced)' : ''}`)
      .join(' / ');
  const rows = bestOf.map(
    (r) =>
      `| ${r.partitions} | ${r.instances} | ${rate(r).toFixed(0)} | ${(rate(r) / rate(base)).toFixed(2)}× | ` +
      `${rounds(r)} | ${r.cpu.node.toFixed(2)} / ${r.cpu.postgres.toFixed(2)} / ` +
      `${r.cpu.kafka.toFixed(2)} | ${perEvent(r.cpu.node, r)} / ${perEvent(r.cpu.postgres, r)} | ${r.load.toFixed(1)} |`,
  );
  // Exactly-once effect: one posting per inbox row, and no offset committed without its posting.
  // Offsets may trail the inbox by the chunks an instance committed to the database just before
  // it stopped; a restarted instance would skip those through its inbox.
  const consistent = results.every(
    (r) => r.checks.postings === r.checks.inbox && r.checks.committed <= r.checks.inbox && r.checks.deadLetters === 0,
  );
  const trailing = results.reduce((sum, r) => sum + (r.checks.inbox - r.checks.committed), 0);
  const verified = results.every((r) => r.checks.verified.startsWith('ok') || r.checks.verified === 'skipped');
  const best = bestOf.reduce((a, b) => (rate(b) > rate(a) ? b : a));
  // Storage per posting from the run that posted the most (fixed costs such as empty pages weigh least).
  const largest = results.reduce((a, b) => (b.checks.postings > a.checks.postings ? b : a));
  const bytesPer = (bytes: number) => (bytes / Math.max(1, largest.checks.postings)).toFixed(0);
  const busy = Math.max(...info.load, ...results.map((r) => r.load)) > 2;
  const knobs = [
    `BENCH_WINDOW_S=${WINDOW_S}`,
    `BENCH_PARTITIONS=${PARTITION_STEPS.join(',')}`,
    `BENCH_INSTANCES=${INSTANCE_STEPS.join(',')}`,
    `BENCH_CHUNK=${CHUNK}`,
    `BENCH_CONCURRENCY=${CONCURRENCY}`,
    `BENCH_PRELOAD=${PRELOAD}`,
    `BENCH_ROUNDS=${ROUNDS}`,
  ].join(' ');
  return [
    '## Scaling curve: partitions and consumer instances (bench:scaling)',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}; PostgreSQL ${info.postgres}, ` +
      `Kafka ${info.kafka}; 1-minute load average ${info.load[0].toFixed(1)} before and ` +
      `${info.load[1].toFixed(1)} after the run (${info.minutes.toFixed(1)} minutes). Command: \`${knobs} ` +
      'npm run bench:scaling`.',
    '',
    `Each topic is pre-loaded with ${PRELOAD} payment events (the bench:ledger stream, spread over ` +
      `${MERCHANTS} merchants, keyed by merchant). Each point starts its consumer instances, each a separate ` +
      "Node process running the ledger's consumer (KafkaInboxServer, the ledger's batch posting handler, " +
      `${CHUNK} events per transaction, ${CONCURRENCY} partitions at once per instance: the service's defaults), ` +
      'in one new consumer group on a fresh database, waits until the group is stable with every instance ' +
      `in it, then counts the group's committed offsets for ${WINDOW_S} s. Every point runs once per round ` +
      `(${ROUNDS} rounds, one after the other); the table gives the best round, its CPU and the rate of each ` +
      'round. Offsets are committed after the ' +
      'transaction that wrote the postings, so the rate is of events posted: hash-chain link, entries, balance ' +
      'buckets, inbox row and outbox row each. The instance curve runs on the ' +
      `${INSTANCE_PARTITIONS}-partition topic. CPU is from /proc over the window: the consumer processes, the ` +
      "PostgreSQL backends of the bench's database with the WAL writer, checkpointer and background writer, " +
      'and the Kafka broker at KAFKA_BROKERS when it runs on this machine (it serves any other client of it ' +
      'too, so CPU per event leaves it out).',
    '',
    '| partitions | consumer instances | events/s (best round) | vs 1 × 1 | events/s, each round | CPU cores: node / postgres / kafka | CPU µs per event: node / postgres | load average at start |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `- Baseline (same run): one instance on one partition, ${rate(base).toFixed(0)} events/s (best round). Best: ` +
      `${best.partitions} partitions × ${best.instances} instances, ${rate(best).toFixed(0)} events/s ` +
      `(${(rate(best) / rate(base)).toFixed(2)}×).`,
    `- After every point: ${
      consistent
        ? 'postings = inbox rows ≥ committed offsets, no dead letters'
        : 'MISMATCH between postings, inbox rows and committed offsets (see below)'
    }; journal verify ${verified ? (VERIFY ? 'ok on every chain' : 'skipped') : 'FAILED'}. ` +
      `${trailing} events in all were posted by chunks whose offsets the stopping instances had not ` +
      'committed yet: a restart skips them through the inbox.',
    `- Stored per posting (${largest.checks.postings} postings): ${bytesPer(largest.checks.journalBytes)} bytes of ` +
      `journal (\`ledger_transaction\` and \`ledger_entry\` with their indexes), ${bytesPer(largest.checks.inboxBytes)} ` +
      'bytes of inbox rows (kept 14 days); outbox rows are not counted (no relay runs here; the service ' +
      'deletes them once relayed).',
    ...results.map(
      (r) =>
        `  - ${r.partitions} × ${r.instances}, round ${r.round}: committed ${r.checks.committed}, inbox ${r.checks.inbox}, postings ` +
        `${r.checks.postings}, dead letters ${r.checks.deadLetters}, verify ${r.checks.verified}.`,
    ),
    ...(busy
      ? [
          '',
          'Other work was running on this 2-core machine during the run (load averages above 2): every ' +
            'point competed for the same two cores with it, so absolute rates are low and noisy; the ' +
            'CPU columns show how much of the machine the measured processes got.',
        ]
      : []),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:scaling failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
