import { setTimeout as sleep } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { preparedStatement, queryPrepared, runPrepared } from '@cashless/database';
import { MessagingLogger, silentLogger } from '../kafka';

export interface OutboxRelayOptions {
  /** Rows published per Kafka request and per database transaction. */
  batchSize?: number;
  /** Wait between polls when the outbox is empty. */
  idleDelayMs?: number;
  /**
   * Wait after a batch that was not full before taking the next (default 5 ms): under a steady
   * trickle of commits each Kafka request and relay transaction then carries several events
   * instead of one. A full batch means a backlog, and the next one is taken at once.
   */
  lingerMs?: number;
  /** Upper bound of the backoff while Kafka or PostgreSQL is unavailable. */
  maxBackoffMs?: number;
  /** How often a standby instance retries to become the relay. */
  leaderRetryMs?: number;
  logger?: MessagingLogger;
  onPublished?: (count: number) => void;
  /** Runs before the first attempt and after each failure, e.g. to (re)connect the producer. */
  beforeAttempt?: () => Promise<void>;
}

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  payload: string;
  headers: Record<string, string>;
}

const CLAIM_OUTBOX = preparedStatement(
  'messaging_claim_outbox',
  'SELECT seq, topic, key, payload, headers FROM outbox_message ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
);
const DELETE_OUTBOX = preparedStatement(
  'messaging_delete_outbox',
  'DELETE FROM outbox_message WHERE seq = ANY($1::bigint[])',
);

/** Advisory lock key that makes one relay per database the leader ("outbrely"). */
const RELAY_LEADER_LOCK = 0x6f75746272656c79n;

/**
 * Publishes outbox rows to Kafka in sequence order and deletes them once the broker has
 * acknowledged them.
 *
 * One relay per database is active at a time (a session advisory lock elects it; other replicas
 * stand by), which keeps per-key order simple and exact: rows go out in `seq` order, and the
 * writer's per-key lock makes `seq` order equal commit order for a key. Throughput comes from
 * batching, not from parallel relays. Delivery is at-least-once: a crash after the broker's ack
 * and before the delete republishes the batch, and consumers deduplicate by event id.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private leaderRunner?: QueryRunner;
  private stopSignal = new AbortController();
  private leader = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  private get batchSize(): number {
    return this.options.batchSize ?? 1000;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSignal = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.running = false;
      this.stopSignal.abort();
      await this.loop;
    }
    // Also after relayOnce() alone: it may hold the leader lock, which would keep every other
    // relay on this database waiting.
    await this.releaseLeadership();
  }

  /**
   * Publishes one batch; returns how many rows went out (0 also when another instance is the
   * relay). The batch runs on the connection that holds the leader lock, so a relay that lost
   * its connection (and with it the lock) cannot go on publishing next to a new leader.
   */
  async relayOnce(): Promise<number> {
    if (!(await this.ensureLeadership())) return 0;
    const runner = this.leaderRunner!;
    await runner.startTransaction();
    try {
      const rows = await queryPrepared<OutboxRow>(runner.manager, CLAIM_OUTBOX, [this.batchSize]);
      if (rows.length > 0) {
        const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
        for (const row of rows) {
          let messages = byTopic.get(row.topic);
          if (!messages) byTopic.set(row.topic, (messages = []));
          messages.push({ key: row.key, value: row.payload, headers: row.headers });
        }
        await this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        await runPrepared(runner.manager, DELETE_OUTBOX, [rows.map((r) => r.seq)]);
      }
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async run(): Promise<void> {
    const logger = this.options.logger ?? silentLogger;
    const lingerMs = this.options.lingerMs ?? 5;
    let backoff = 0;
    let reconnect = true;
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.pause(this.options.leaderRetryMs ?? 2000);
          continue;
        }
        if (reconnect) await this.options.beforeAttempt?.();
        reconnect = false;
        const published = await this.relayOnce();
        if (published > 0) this.options.onPublished?.(published);
        if (backoff > 0) logger.info({ component: 'outbox-relay' }, 'outbox relay recovered');
        backoff = 0;
        if (published === 0) await this.pause(this.options.idleDelayMs ?? 20);
        else if (published < this.batchSize && lingerMs > 0) await this.pause(lingerMs);
      } catch (error) {
        if (!this.running) break;
        reconnect = true;
        backoff = Math.min(backoff ? backoff * 2 : 100, this.options.maxBackoffMs ?? 5000);
        logger.warn(
          { component: 'outbox-relay', err: errorMessage(error), retryInMs: backoff },
          'outbox relay could not publish; events stay in the outbox and will be retried',
        );
        await this.releaseLeadership();
        await this.pause(backoff);
      }
    }
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.leader && this.leaderRunner && !this.leaderRunner.isReleased) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
      RELAY_LEADER_LOCK.toString(),
    ])) as { locked: boolean }[];
    if (!locked) {
      await runner.release();
      return false;
    }
    this.leaderRunner = runner;
    this.leader = true;
    return true;
  }

  private async releaseLeadership(): Promise<void> {
    const runner = this.leaderRunner;
    this.leaderRunner = undefined;
    this.leader = false;
    if (!runner || runner.isReleased) return;
    await runner.query('SELECT pg_advisory_unlock($1::bigint)', [RELAY_LEADER_LOCK.toString()]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
