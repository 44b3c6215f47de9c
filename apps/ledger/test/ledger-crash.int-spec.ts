import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { EventEnvelope } from '@cashless/contracts';
import { producerConfig } from '@cashless/messaging';
import { createTestDatabase } from '../../../test/support/databases';
import { topicMessageCount } from '../../../libs/messaging/test/fixtures';
import { ledgerDatabase } from '../src/database';
import { verifyJournal } from '../src/journal/chain-reader';
import {
  balanceTotals,
  countRows,
  createTestTopic,
  entryTotals,
  eventually,
  publish,
  testKafka,
  uniqueGroup,
} from './ledger-app';
import {
  bankTransfer,
  intentCreated,
  paymentRecorded,
  unattributedAssigned,
  unattributedReceived,
} from './payment-events';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

const STORIES = 8_000;
const MERCHANTS = 40;

/**
 * The ledger as a real process (`node dist/apps/ledger/src/main.js`) on a database and topics of
 * its own: SIGKILLed while it holds an open posting transaction, then started again from the
 * offsets the dead process had committed. Nothing may be lost or doubled.
 *
 * The restarted process joins a new consumer group that starts at the dead group's committed
 * offsets. That is where the same group would resume, but without waiting for the broker to
 * expire the dead member (the inbox server's 30 s session timeout). It is also the harder case:
 * the new group's inbox has not seen the redelivered events, so only the posting keys stand
 * between a redelivery and a second posting.
 */
describe('ledger: killed in the middle of a batch and restarted (real process, PostgreSQL, Kafka)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: Db;
  let paymentTopic: string;
  let eventsTopic: string;
  const firstGroup = uniqueGroup('ledger-crash');
  const restartGroup = uniqueGroup('ledger-restart');
  let child: ChildProcess | undefined;
  let output = '';

  /** What the journal must hold once: receipts and resolutions, and each merchant's takings. */
  const expected = { transactions: 0, events: 0, takings: new Map<string, bigint>() };

  beforeAll(async () => {
    kafka = testKafka('ledger-crash-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    paymentTopic = await createTestTopic(kafka, 'ledger-crash', 3);
    eventsTopic = await createTestTopic(kafka, 'ledger-crash-events', 1);
    db = await createTestDatabase('ledger_crash', ledgerDatabase);

    const merchants = Array.from({ length: MERCHANTS }, () => randomUUID());
    const events: EventEnvelope[] = [];
    for (let i = 0; i < STORIES; i++) {
      const merchant = merchants[i % MERCHANTS];
      const transfer = bankTransfer({ amount: 1_000 + (i % 997), accountNumber: `00${i % MERCHANTS}` });
      const credit = (m: string) => expected.takings.set(m, (expected.takings.get(m) ?? 0n) + BigInt(transfer.amount));
      if (i % 10 === 9) {
        events.push(unattributedReceived(transfer), unattributedAssigned(transfer, merchant));
        expected.transactions += 2;
      } else if (i % 3 === 0) {
        events.push(paymentRecorded(merchant, transfer, { outcome: 'static' }));
        expected.transactions += 1;
      } else {
        events.push(intentCreated(merchant, transfer.amount), paymentRecorded(merchant, transfer));
        expected.transactions += 1;
      }
      credit(merchant);
    }
    expected.events = events.length;
    const chunks = Array.from({ length: Math.ceil(events.length / 1000) }, (_, i) =>
      events.slice(i * 1000, (i + 1) * 1000),
    );
    await Promise.all(chunks.map((chunk) => publish(producer, paymentTopic, chunk)));
  });

  afterAll(async () => {
    await stopChild('SIGTERM');
    await producer?.disconnect();
    await db?.drop();
  });

  function startChild(group: string): void {
    child = spawn(process.execPath, ['dist/apps/ledger/src/main.js'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: '0',
        LOG_LEVEL: 'warn',
        LEDGER_CONSUMER_GROUP: group,
        LEDGER_PAYMENT_TOPIC: paymentTopic,
        LEDGER_EVENTS_TOPIC: eventsTopic,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  }

  async function stopChild(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  }

  const transactions = () => countRows(db.dataSource, 'SELECT count(*) AS n FROM ledger_transaction');

  /** True while the ledger process holds an open database transaction that has written something. */
  async function postingInFlight(group: string): Promise<boolean> {
    const n = await countRows(
      db.dataSource,
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE application_name = $1 AND backend_xid IS NOT NULL AND state IN ('active', 'idle in transaction')`,
      [group],
    );
    return n > 0;
  }

  async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  /** The offsets a group committed on the payment topic (the partition's start where it committed none). */
  function committedOffsets(group: string): Promise<{ partition: number; offset: string }[]> {
    return withAdmin(async (admin) => {
      const [[committed], low] = await Promise.all([
        admin.fetchOffsets({ groupId: group, topics: [paymentTopic] }),
        admin.fetchTopicOffsets(paymentTopic),
      ]);
      return committed.partitions.map((c) => ({
        partition: c.partition,
        offset: c.offset === '-1' ? low.find((l) => l.partition === c.partition)!.low : c.offset,
      }));
    });
  }

  async function committedOffsetsAtEnd(group: string): Promise<boolean> {
    const [high, committed] = await Promise.all([
      withAdmin((admin) => admin.fetchTopicOffsets(paymentTopic)),
      committedOffsets(group),
    ]);
    return high.every((p) => committed.find((c) => c.partition === p.partition)?.offset === p.high);
  }

  it('posts every event exactly once across a SIGKILL mid-batch and a restart', async () => {
    startChild(firstGroup);
    // Kill while a posting transaction is open, somewhere between a twentieth and four fifths in.
    await eventually(
      async () => ({ n: await transactions(), inFlight: await postingInFlight(firstGroup) }),
      ({ n, inFlight }) => inFlight && n > expected.transactions / 20 && n < (expected.transactions * 4) / 5,
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nledger output:\n${output}`);
    });
    await stopChild('SIGKILL');
    const atKill = await transactions();
    expect(atKill).toBeLessThan(expected.transactions);
    // The open transaction died with the process: nothing half-written is visible.
    expect(await balanceTotals(db.dataSource)).toEqual(await entryTotals(db.dataSource));

    const resumeAt = await committedOffsets(firstGroup);
    await withAdmin((admin) => admin.setOffsets({ groupId: restartGroup, topic: paymentTopic, partitions: resumeAt }));
    startChild(restartGroup);
    await eventually(transactions, (n) => n >= expected.transactions, 60_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nledger output:\n${output}`);
    });
    await eventually(
      () => committedOffsetsAtEnd(restartGroup),
      (done) => done,
      30_000,
    );

    expect(await transactions()).toBe(expected.transactions);
    // Every event reached one of the two processes' inboxes; the restart resumed at the committed
    // offsets, so it saw the events after them (including any the dead process had already posted).
    const inbox = (await db.dataSource.query(
      `SELECT count(DISTINCT event_id) AS distinct, count(*) FILTER (WHERE consumer = $2) AS restarted
       FROM inbox_message WHERE consumer IN ($1, $2)`,
      [firstGroup, restartGroup],
    )) as { distinct: string; restarted: string }[];
    const resumed = resumeAt.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(Number(inbox[0].distinct)).toBe(expected.events);
    expect(Number(inbox[0].restarted)).toBe(expected.events - resumed);
    expect(await countRows(db.dataSource, 'SELECT count(*) AS n FROM dead_letter')).toBe(0);

    const balances = await balanceTotals(db.dataSource);
    expect(balances).toEqual(await entryTotals(db.dataSource));
    for (const [merchant, takings] of expected.takings) {
      const credited = [...balances.entries()]
        .filter(([code]) => code.startsWith(`merchant:${merchant}:takings:`))
        .reduce((sum, [, t]) => sum + t.credits - t.debits, 0n);
      expect(credited).toBe(takings);
    }
    expect(balances.get('suspense:unattributed')).toMatchObject({
      debits: balances.get('suspense:unattributed')!.credits,
    });

    const verification = await verifyJournal((sql, params) => db.dataSource.query(sql, params));
    expect(verification).toMatchObject({ ok: true, checked: expected.transactions });

    // The restarted process's relay publishes every transaction's event (at least once).
    await eventually(
      () => countRows(db.dataSource, 'SELECT count(*) AS n FROM outbox_message'),
      (n) => n === 0,
      30_000,
    );
    expect(await topicMessageCount(kafka, eventsTopic)).toBeGreaterThanOrEqual(expected.transactions);
  });
});
