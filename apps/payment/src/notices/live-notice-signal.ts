import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type {
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { LOGGER } from '@cashless/platform';
import type { AppLogger } from '@cashless/observability';
import { listenerConnectionConfig } from './live-feed.service';
import { NOTICE_CHANNEL, channelPayloads } from './notice-channel';
import type { ChannelMessage } from './notice-channel';

/** How long announcements gather before one NOTIFY carries them all. */
const GATHER_MS = 5;

/**
 * Tells every instance's live feed about recorded payments, after their transaction commits.
 *
 * The NOTIFY is not sent inside the recording transaction: PostgreSQL lets one transaction that
 * has sent a NOTIFY commit at a time (a global lock held through the commit's WAL flush), which
 * capped the whole intake at the rate of serial commits. Instead the recording transaction stages
 * its notices here (`stage`), the commit hands them over (a TypeORM subscriber sees the commit;
 * a rollback drops them), and notices committed within a few milliseconds go out together in one
 * small transaction of their own. A crash between commit and NOTIFY loses only the push, never
 * the notice: feeds also catch up from `merchant_notice` periodically and on every reconnect.
 */
@Injectable()
export class LiveNoticeSignal implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly staged = new WeakMap<QueryRunner, ChannelMessage[]>();
  private gathered: ChannelMessage[] = [];
  private timer?: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();
  private inFlight = false;
  private client?: Client;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  async onModuleDestroy(): Promise<void> {
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
    await this.sending;
    await this.flush();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  /** In the recording transaction: announce `message` once (and only if) it commits. */
  stage(em: EntityManager, message: ChannelMessage): void {
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('LiveNoticeSignal.stage must run inside a transaction');
    const list = this.staged.get(runner);
    if (list) list.push(message);
    else this.staged.set(runner, [message]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A savepoint released inside a transaction also counts as a commit here: wait for the real one.
    if (event.queryRunner.isTransactionActive) return;
    const list = this.staged.get(event.queryRunner);
    if (!list) return;
    this.staged.delete(event.queryRunner);
    this.gathered.push(...list);
    // While a send is on its way, notices gather for the next one (sent when it returns).
    if (!this.inFlight) this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
  }

  /** Drops what was staged, also when only a savepoint rolled back (a missed push is caught up later; a false one never). */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.staged.delete(event.queryRunner);
  }

  /**
   * On a connection of its own: behind the pool's queue, a busy intake would hold every push back
   * by the time its queued transactions take. A failed connection is replaced on the next send.
   */
  protected async notify(payloads: string[]): Promise<void> {
    if (!this.client) {
      const client = new Client({
        ...listenerConnectionConfig(this.dataSource),
        application_name: 'payment-feed-signal',
      });
      client.on('error', () => {
        if (this.client === client) this.client = undefined;
      });
      this.client = client;
      try {
        await client.connect();
      } catch (error) {
        this.client = undefined;
        throw error;
      }
    }
    const client = this.client;
    try {
      await client.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [NOTICE_CHANNEL, payloads]);
    } catch (error) {
      if (this.client === client) this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Sends what has gathered, in one statement however many payloads; one send at a time, so under
   * load each send carries everything committed while the previous one was on its way.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight || this.gathered.length === 0) return this.sending;
    const messages = this.gathered;
    this.gathered = [];
    this.inFlight = true;
    this.sending = (async () => {
      try {
        await this.notify(channelPayloads(messages));
      } catch (error) {
        // The notices are stored; open feeds pick them up at their next catch-up.
        this.logger.warn({ err: error, notices: messages.length }, 'could not signal recorded payments to live feeds');
      } finally {
        this.inFlight = false;
        if (this.gathered.length > 0) this.timer ??= setTimeout(() => void this.flush(), 0);
      }
    })();
    return this.sending;
  }
}
