import { setTimeout as sleep } from 'node:timers/promises';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { EventCatalog, EventEnvelope, deadLetterTopic } from '@cashless/contracts';
import { preparedStatement, queryPrepared } from '@cashless/database';
import { MessagingLogger, silentLogger } from '../kafka';
import { appendRaw } from '../outbox/outbox.writer';
import { errorMessage } from '../outbox/outbox.relay';
import { InboxContext } from './inbox.context';

export interface KafkaInboxServerOptions {
  kafka: Kafka;
  /** Consumer group id; also the inbox's consumer name. Stable across restarts. */
  groupId: string;
  dataSource: DataSource;
  catalog: EventCatalog;
  logger?: MessagingLogger;
  /** Attempts of a failing handler before the message is dead-lettered. */
  maxAttempts?: number;
  /** Messages processed per database transaction. */
  chunkSize?: number;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Called after each chunk's transaction and offset commit. */
  onProcessed?: (count: number, source: { topic: string; partition: number }) => void;
  /**
   * How long the broker waits for a silent member before handing its partitions to others
   * (default 10 s). It is also how long a restarted instance waits for its group after a crash.
   */
  sessionTimeoutMs?: number;
  /**
   * A fetch returns once this much data is waiting or `fetchMaxWaitMs` has passed (defaults
   * 64 KiB and 100 ms). With the broker's default (answer as soon as one byte is there), a steady
   * trickle of events cost one fetch, one transaction and one offset commit per event in every
   * consumer; waiting a little lets each of those carry dozens of events, for at most 100 ms more
   * between an event's commit and its consumers.
   */
  fetchMinBytes?: number;
  fetchMaxWaitMs?: number;
  /**
   * Called when the consumer cannot run at all (not when the broker is briefly away: kafkajs
   * retries that itself). Default: the process stops (SIGTERM, graceful) so that its supervisor
   * restarts it, rather than serving requests with a consumer that will never consume.
   */
  onFatal?: (error: unknown) => void;
}

interface DecodedMessage {
  message: KafkaMessage;
  envelope?: EventEnvelope;
  /** Set when the message can never be processed (bad JSON, unknown type, invalid data). */
  poison?: string;
}

class HandlerFailed extends Error {}

/** The chunk's inbox rows; returns the ids seen for the first time. */
const CLAIM_INBOX = preparedStatement(
  'messaging_claim_inbox',
  `INSERT INTO inbox_message (consumer, event_id, topic, partition, kafka_offset)
   SELECT $1, e, $2, $3, o FROM unnest($4::uuid[], $5::bigint[]) AS t(e, o)
   ON CONFLICT (consumer, event_id) DO NOTHING
   RETURNING event_id`,
);

/**
 * A Nest transport strategy for `@EventPattern(topic)` handlers that gives every consumer of the
 * platform the same guarantees, which Nest's built-in Kafka server does not:
 *
 * - **Exactly-once effect**: each event id is recorded in `inbox_message` in the same database
 *   transaction as the handler's work; a redelivered event is skipped.
 * - **Offsets after commit**: offsets (`offset + 1`) are committed only after that transaction.
 * - **No stalled partitions**: a message that cannot be decoded, or whose handler keeps failing
 *   (`maxAttempts`), is dead-lettered — a `dead_letter` row plus a record on `<topic>.dlq`, both
 *   written in the same transaction — and the partition moves on.
 * - **Batching**: messages are processed `chunkSize` at a time per transaction; if a handler
 *   fails, the chunk is replayed one message at a time under savepoints to isolate it.
 *
 * Infrastructure failures (database down) are not the message's fault: the batch is retried
 * by kafkajs without dead-lettering.
 */
function stopThisProcess(): void {
  process.exitCode = 1;
  process.kill(process.pid, 'SIGTERM');
}

export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private running?: Promise<void>;
  private readonly log: MessagingLogger;
  private readonly sessionTimeoutMs: number;

  constructor(private readonly options: KafkaInboxServerOptions) {
    super();
    this.log = options.logger ?? silentLogger;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10000;
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      const topics = [...this.messageHandlers.keys()];
      if (topics.length > 0) await this.startConsumer(topics);
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    // kafkajs ignores a stop that arrives while the group join is still in flight, and starts
    // fetching once the join completes: a consumer closed too early went on consuming after its
    // process (or test) had moved on. So let the join finish first, within the time a join can
    // legitimately take (a dead member's session), then disconnect.
    await Promise.race([this.running, sleep(this.joinWaitMs(), undefined, { ref: false })]);
    this.consumer = undefined;
    await consumer.disconnect();
    await this.running;
  }

  private joinWaitMs(): number {
    return this.sessionTimeoutMs + 5000;
  }

  on(): void {
    // kafkajs events are consumed internally; nothing to expose.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async startConsumer(topics: string[]): Promise<void> {
    const sessionTimeout = this.sessionTimeoutMs;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      maxBytesPerPartition: 1024 * 1024,
      minBytes: this.options.fetchMinBytes ?? 64 * 1024,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 100,
      // kafkajs restarts a crashed consumer on a timer; once this server is closed it must not.
      retry: { retries: 5, restartOnFailure: async () => this.consumer === consumer },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    // `run` resolves only once the group is joined, and after a crash (SIGKILL, a lost machine)
    // the broker holds the join until the dead member's session expires. Awaiting it here kept
    // the whole service, its HTTP API included, from starting for that long: a restarted payment
    // service refused bank notifications for ~30 s. The join goes on in the background; events
    // wait in Kafka meanwhile, and nothing the HTTP API does depends on them having arrived.
    const joined = Date.now();
    this.running = consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.processBatch(payload),
      })
      .then(
        () => this.log.info({ groupId: this.options.groupId, ms: Date.now() - joined }, 'consumer group joined'),
        (error: unknown) => {
          if (this.consumer !== consumer) return; // closed meanwhile
          this.log.error({ err: error, groupId: this.options.groupId }, 'the Kafka consumer cannot run; stopping');
          (this.options.onFatal ?? stopThisProcess)(error);
        },
      );
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const consumer = this.consumer;
    if (!consumer) return; // closed: leave the batch for the group's next owner
    const chunkSize = this.options.chunkSize ?? 250;
    for (let i = 0; i < batch.messages.length; i += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(i, i + chunkSize);
      await this.processChunk(batch.topic, batch.partition, chunk);
      const last = chunk[chunk.length - 1].offset;
      resolveOffset(last);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      this.options.onProcessed?.(chunk.length, { topic: batch.topic, partition: batch.partition });
      await heartbeat();
    }
  }

  private async processChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const decoded = messages.map((m) => this.decode(m));
    try {
      await this.options.dataSource.transaction((em) => this.applyChunk(em, topic, partition, decoded, false));
    } catch (error) {
      if (!(error instanceof HandlerFailed)) throw error;
      // Some handler failed: replay the chunk message by message to isolate and park it.
      await this.options.dataSource.transaction((em) => this.applyChunk(em, topic, partition, decoded, true));
    }
  }

  private async applyChunk(
    em: EntityManager,
    topic: string,
    partition: number,
    decoded: DecodedMessage[],
    isolate: boolean,
  ): Promise<void> {
    const fresh = await this.claimInbox(em, topic, partition, decoded);
    const batch = this.isBatchHandler(topic);
    const work: DecodedMessage[] = [];
    try {
      // In offset order, so dead letters of a partition are written in the order they arrived.
      for (const item of decoded) {
        if (item.poison !== undefined) await this.deadLetter(em, topic, partition, item, item.poison, 0);
        // Skip what this consumer already processed (a redelivery, or the same event twice in a chunk).
        else if (!fresh.delete(item.envelope!.id)) continue;
        else if (isolate) await this.invokeIsolated(em, topic, partition, item);
        else if (batch) work.push(item);
        else await this.invoke(em, topic, partition, [item]);
      }
      if (work.length > 0) await this.invoke(em, topic, partition, work);
    } catch (error) {
      if (isolate || isTransientDatabaseError(error)) throw error;
      this.log.warn({ topic, partition, err: errorMessage(error) }, 'handler failed; isolating the failing message');
      throw new HandlerFailed(errorMessage(error));
    }
  }

  private async invokeIsolated(
    em: EntityManager,
    topic: string,
    partition: number,
    item: DecodedMessage,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await em.query('SAVEPOINT inbox_handler');
      try {
        await this.invoke(em, topic, partition, [item]);
        await em.query('RELEASE SAVEPOINT inbox_handler');
        return;
      } catch (error) {
        if (isTransientDatabaseError(error)) throw error;
        await em.query('ROLLBACK TO SAVEPOINT inbox_handler');
        lastError = errorMessage(error);
      }
    }
    this.log.error(
      { topic, partition, offset: item.message.offset, eventId: item.envelope!.id, err: lastError },
      'handler failed repeatedly; event dead-lettered',
    );
    await this.deadLetter(em, topic, partition, item, lastError, maxAttempts);
  }

  /**
   * Calls the topic's handler: once per event, or once for all `items` when it was registered
   * with `{ batch: true }` (then the context describes the last of them).
   */
  private async invoke(em: EntityManager, topic: string, partition: number, items: DecodedMessage[]): Promise<void> {
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`No handler for topic ${topic}`);
    const last = items[items.length - 1];
    const context = new InboxContext([last.envelope!, em, topic, partition, last.message.offset]);
    const payload = this.isBatchHandler(topic) ? items.map((i) => i.envelope!) : last.envelope!;
    const result = await handler(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  private isBatchHandler(topic: string): boolean {
    const extras = (this.getHandlerByPattern(topic) as { extras?: { batch?: unknown } } | null)?.extras;
    return extras?.batch === true;
  }

  /** Inserts inbox rows for the chunk; returns the ids seen for the first time. */
  private async claimInbox(
    em: EntityManager,
    topic: string,
    partition: number,
    decoded: DecodedMessage[],
  ): Promise<Set<string>> {
    const valid = decoded.filter((d) => d.envelope);
    if (valid.length === 0) return new Set();
    const rows = await queryPrepared<{ event_id: string }>(em, CLAIM_INBOX, [
      this.options.groupId,
      topic,
      partition,
      valid.map((d) => d.envelope!.id),
      valid.map((d) => d.message.offset),
    ]);
    return new Set(rows.map((r) => r.event_id));
  }

  private async deadLetter(
    em: EntityManager,
    topic: string,
    partition: number,
    item: DecodedMessage,
    error: string,
    attempts: number,
  ): Promise<void> {
    const value = item.message.value?.toString('utf8') ?? null;
    const key = item.message.key?.toString('utf8') ?? null;
    const inserted: unknown[] = await em.query(
      `INSERT INTO dead_letter (consumer, topic, partition, kafka_offset, event_id, message_key, value, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (consumer, topic, partition, kafka_offset) DO NOTHING RETURNING id`,
      [
        this.options.groupId,
        topic,
        partition,
        item.message.offset,
        item.envelope?.id ?? null,
        key,
        value,
        error,
        attempts,
      ],
    );
    if (inserted.length === 0) return; // already parked by an earlier delivery
    const record = {
      consumer: this.options.groupId,
      topic,
      partition,
      offset: item.message.offset,
      key,
      value,
      error,
      attempts,
      failedAt: new Date().toISOString(),
    };
    await appendRaw(em, [
      {
        id: crypto.randomUUID(),
        topic: deadLetterTopic(topic),
        key: key ?? `${topic}:${partition}`,
        payload: JSON.stringify(record),
        headers: { 'dead-letter-consumer': this.options.groupId, 'dead-letter-error': error.slice(0, 500) },
      },
    ]);
  }

  private decode(message: KafkaMessage): DecodedMessage {
    if (!message.value) return { message, poison: 'empty message value' };
    let raw: unknown;
    try {
      raw = JSON.parse(message.value.toString('utf8'));
    } catch {
      return { message, poison: 'message value is not JSON' };
    }
    try {
      return { message, envelope: this.options.catalog.validate(raw) };
    } catch (error) {
      const issues = (error as { issues?: { path: string; message: string }[] }).issues ?? [];
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return { message, poison: detail ? `${errorMessage(error)} (${detail})` : errorMessage(error) };
    }
  }
}

/**
 * Errors that say nothing about the message: lost connections, deadlocks, serialization
 * failures, an overloaded or restarting server. They are retried, never dead-lettered.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(08|40|53|57)/.test(code)) return true;
  const message = errorMessage(error);
  return /Connection terminated|ECONNREFUSED|ECONNRESET|connection timeout|Client has encountered a connection error/i.test(
    message,
  );
}
