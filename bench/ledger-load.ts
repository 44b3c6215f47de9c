import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { PaymentEventTypes, createEnvelope, paymentRecordedEventType } from '@cashless/contracts';
import type { BankTransfer, EventEnvelope, PaymentOutcome } from '@cashless/contracts';
import { producerConfig } from '@cashless/messaging';

/**
 * What bench:ledger and bench:scaling share: the payment service's event stream as the ledger
 * consumes it, pre-loading it into a topic, and CPU accounting of the processes under test.
 */

export interface PaymentStreamOptions {
  /** Distinct merchants the payments go to. */
  merchants: number;
  /** Share of payments going to merchant 0 (a hot account); 0 spreads them evenly. */
  hotShare: number;
  /** Share of payments that are unattributed transfers later assigned by an officer. */
  assigned: number;
}

const BANKS = ['970436', '970422', '970415', '970418', '970407'];

/**
 * The payment service's stream: 60 % dynamic-QR payments (succeeded, some under- or overpaid),
 * 30 % static-QR payments, 10 % unattributed transfers of which a share (`assigned`) is later
 * assigned to a merchant by an officer (far more than officers do by hand, but it makes lanes
 * meet: an assignment travels in the transfer's partition and is keyed, in the ledger's events, by
 * the merchant of another partition). Every event moves money (intent lifecycle events, which
 * post nothing, are left out, so events and postings count alike). Payment events are keyed by
 * merchant id, as the payment service publishes them.
 */
export function* paymentStream(options: PaymentStreamOptions, count: number): Generator<EventEnvelope> {
  const accounts = Array.from({ length: options.merchants }, (_, i) => String(1_000_000_000 + i));
  const merchantIds = Array.from({ length: options.merchants }, () => randomUUID());
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < count; i++) {
    const m =
      options.hotShare > 0 && Math.random() < options.hotShare ? 0 : Math.floor(Math.random() * options.merchants);
    const transfer: BankTransfer = {
      notificationId: randomUUID(),
      provider: 'generic',
      providerTransactionId: `FT${i}`,
      bankBin: BANKS[m % BANKS.length],
      accountNumber: accounts[m],
      amount: 10_000 + Math.floor(Math.random() * 490_000),
      content: `CS${i.toString(36).toUpperCase()} thanh toan`,
      transferredAt: new Date(start + i * 10).toISOString(),
      receivedAt: new Date(start + i * 10 + 800).toISOString(),
      payerName: 'NGUYEN VAN A',
      payerAccount: '9704000000001',
      reference: null,
    };
    const roll = Math.random();
    if (roll < 0.1) {
      const unattributedId = randomUUID();
      yield envelope(PaymentEventTypes.unattributedTransferReceived, `transfer:${transfer.notificationId}`, {
        unattributedId,
        reason: 'unknown_account',
        transfer,
        recordedAt: transfer.receivedAt,
      });
      if (roll < options.assigned) {
        i++;
        yield envelope(PaymentEventTypes.unattributedTransferAssigned, `transfer:${transfer.notificationId}`, {
          unattributedId,
          paymentId: randomUUID(),
          merchantId: merchantIds[m],
          officer: 'admin',
          note: null,
          transfer,
          assignedAt: transfer.receivedAt,
        });
      }
      continue;
    }
    const dynamic = roll < 0.7;
    const outcome: PaymentOutcome = !dynamic
      ? 'static'
      : roll < 0.66
        ? 'succeeded'
        : roll < 0.68
          ? 'underpaid'
          : 'overpaid';
    yield envelope(paymentRecordedEventType[outcome], merchantIds[m], {
      paymentId: randomUUID(),
      merchantId: merchantIds[m],
      channel: dynamic ? 'dynamic_qr' : 'static_qr',
      outcome,
      intentId: dynamic ? randomUUID() : null,
      intentStatus: dynamic ? outcome : null,
      expectedAmount: dynamic ? transfer.amount : null,
      paymentCode: dynamic ? 'CS123' : null,
      orderRef: null,
      transfer,
      recordedAt: transfer.receivedAt,
    });
  }
}

function envelope(type: string, key: string, data: unknown): EventEnvelope {
  return createEnvelope({ type, version: 1, key, traceId: 'bench', data });
}

/** Produces `events` into `topic` (keyed, acks from all replicas, eight batches in flight). */
export async function preload(kafka: Kafka, topic: string, events: Iterable<EventEnvelope>): Promise<number> {
  const producer: Producer = kafka.producer(producerConfig);
  await producer.connect();
  const inFlight: Promise<unknown>[] = [];
  let batch: { key: string; value: string }[] = [];
  let sent = 0;
  try {
    for (const e of events) {
      batch.push({ key: e.key, value: JSON.stringify(e) });
      sent++;
      if (batch.length === 1000) {
        inFlight.push(producer.send({ topic, acks: -1, messages: batch }));
        batch = [];
        if (inFlight.length >= 8) await inFlight.shift();
      }
    }
    if (batch.length) inFlight.push(producer.send({ topic, acks: -1, messages: batch }));
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return sent;
}

/** Pre-loaded topics hold hundreds of megabytes; they are of no use after a run. */
export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: topics.flatMap((t) => [t, `${t}.dlq`]) });
  } finally {
    await admin.disconnect();
  }
}

/** CPU seconds so far of each process under watch, by what it is. */
export interface CpuSample {
  at: number;
  processes: Map<number, { role: keyof CpuShares; cpuSeconds: number }>;
}

export interface CpuShares {
  /** CPU seconds per wall second (1.0 = one core busy). */
  node: number;
  postgres: number;
  kafka: number;
}

const TICKS = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuSeconds: number;
}

function procStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.push({
        pid: Number(pid),
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The broker process listening on `port` of this machine (other brokers may run beside it), from
 * the listening sockets in /proc/net and the socket descriptors of the Java processes; undefined
 * when the broker is elsewhere.
 */
export function kafkaBrokerPid(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local address is ip:port in hex; state 0A is LISTEN; column 9 is the socket's inode.
      if (cols.length > 9 && cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const p of procStats()) {
    if (p.comm !== 'java' || !cmdline(p.pid).includes('kafka.Kafka')) continue;
    try {
      for (const fd of readdirSync(`/proc/${p.pid}/fd`)) {
        const target = readlinkSync(`/proc/${p.pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return p.pid;
      }
    } catch {
      // not ours to read, or gone
    }
  }
  return undefined;
}

/** The broker of `brokers` (host:port list) when it runs on this machine. */
export function localBrokerPid(brokers: string[]): number | undefined {
  for (const broker of brokers) {
    const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/.exec(broker.trim());
    const pid = match ? kafkaBrokerPid(Number(match[2])) : undefined;
    if (pid) return pid;
  }
  return undefined;
}

/**
 * CPU time so far, from /proc, of the Node processes under test (`nodePids`), of the PostgreSQL
 * server's processes working for the bench database (its backends, and the WAL writer,
 * checkpointer and background writer, which the bench's writes keep busy; other databases'
 * backends on a shared server are left out) and of the Kafka broker the bench uses (`brokerPid`).
 */
export function cpuSample(
  postmasterPid: number,
  database: string,
  nodePids: number[],
  brokerPid: number | undefined,
): CpuSample {
  const processes: CpuSample['processes'] = new Map();
  for (const p of procStats()) {
    if (nodePids.includes(p.pid)) processes.set(p.pid, { role: 'node', cpuSeconds: p.cpuSeconds });
    else if (p.pid === brokerPid) processes.set(p.pid, { role: 'kafka', cpuSeconds: p.cpuSeconds });
    else if (p.ppid === postmasterPid) {
      const title = cmdline(p.pid);
      if (title.includes(database) || /walwriter|checkpointer|background writer/.test(title)) {
        processes.set(p.pid, { role: 'postgres', cpuSeconds: p.cpuSeconds });
      }
    }
  }
  return { at: Date.now(), processes };
}

/** The server process our connections hang off (the parent of a backend). */
export async function postmasterOf(dataSource: DataSource): Promise<number> {
  const [{ pid }] = (await dataSource.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
  return procStats().find((p) => p.pid === pid)?.ppid ?? -1;
}

/**
 * Cores used between two samples. A process found only in the second sample (a pooled connection
 * opened during the window) counts all its CPU; one gone by the second sample is left out.
 */
export function cpuShares(a: CpuSample, b: CpuSample): CpuShares {
  const wall = (b.at - a.at) / 1000;
  const shares: CpuShares = { node: 0, postgres: 0, kafka: 0 };
  for (const [pid, end] of b.processes) {
    const start = a.processes.get(pid)?.cpuSeconds ?? 0;
    shares[end.role] += (end.cpuSeconds - start) / wall;
  }
  return shares;
}
