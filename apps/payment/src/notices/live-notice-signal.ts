import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
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
    await this.flush();
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
    const list = this.staged.get(event.queryRunner);
    if (!list) return;
    this.staged.delete(event.queryRunner);
    this.gathered.push(...list);
    this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.staged.delete(event.queryRunner);
  }

  /** Sends what has gathered (one statement, however many payloads); sends never overlap. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const messages = this.gathered;
    this.gathered = [];
    if (messages.length === 0) return this.sending;
    this.sending = this.sending.then(async () => {
      try {
        await this.dataSource.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [
          NOTICE_CHANNEL,
          channelPayloads(messages),
        ]);
      } catch (error) {
        // The notices are stored; open feeds pick them up at their next catch-up.
        this.logger.warn({ err: error, notices: messages.length }, 'could not signal recorded payments to live feeds');
      }
    });
    return this.sending;
  }
}
