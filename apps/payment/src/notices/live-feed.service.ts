import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import type { AppLogger } from '@cashless/observability';
import { LOGGER } from '@cashless/platform';
import { FeedHub } from './feed-hub';
import type { FeedNotice } from './feed-hub';
import { FeedStream } from './feed-stream';
import { NOTICE_CHANNEL, parseChannelMessages } from './notice-channel';
import { NoticeMetrics } from './notice-metrics';
import { NOTICE_OPTIONS } from './notice-options';
import type { NoticeOptions } from './notice-options';
import { NotificationListener } from './notification-listener';
import type { PaymentNotice } from './payment-notice';

/** Notices read per query when a feed catches up; a long gap is read page by page. */
const CATCH_UP_PAGE = 500;

interface NoticeRow {
  seq: string;
  payload: PaymentNotice;
}

const toFeedNotice = (row: NoticeRow): FeedNotice => ({ seq: BigInt(row.seq), notice: row.payload });

/**
 * The pg connection settings of the service's own DataSource (same URL or host/user/database,
 * same TLS), for the one extra connection that LISTENs.
 */
export function listenerConnectionConfig(dataSource: DataSource): ClientConfig {
  const options = dataSource.options;
  if (options.type !== 'postgres') throw new Error('the live feed needs a PostgreSQL DataSource');
  return {
    ...(options.url
      ? { connectionString: options.url }
      : {
          host: options.host,
          port: options.port,
          user: options.username,
          password: options.password,
          database: options.database,
        }),
    // TypeORM's TlsOptions and pg's ConnectionOptions are the same node:tls settings, typed apart.
    ...(options.ssl !== undefined ? { ssl: options.ssl as ClientConfig['ssl'] } : {}),
    application_name: `${options.applicationName ?? 'payment'}-feed`,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  };
}

/**
 * The live feed of confirmed payments. Once a recording transaction commits, LiveNoticeSignal
 * sends its notices on `payment_recorded`; each instance LISTENs on one dedicated connection and
 * writes to its own SSE connections of that merchant. Gaps (resume with `Last-Event-ID`, a lost
 * LISTEN connection, a push lost in a crash after commit) are filled from `merchant_notice`: on
 * connect, on reconnect of the listener, and every `feedCatchUpMs`.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly hub: FeedHub<FeedStream>;
  private readonly listener: NotificationListener;
  private heartbeat?: NodeJS.Timeout;
  private catchUpTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NOTICE_OPTIONS) private readonly options: NoticeOptions,
    @Inject(LOGGER) private readonly logger: AppLogger,
    private readonly metrics: NoticeMetrics,
  ) {
    this.hub = new FeedHub<FeedStream>(options.maxFeedConnectionsPerMerchant);
    this.listener = new NotificationListener(listenerConnectionConfig(dataSource), NOTICE_CHANNEL, {
      onNotification: (payload) =>
        void this.onNotification(payload).catch((error: unknown) =>
          this.logger.warn({ err: error }, 'could not hand a payment to the live feed'),
        ),
      onListening: (reconnected) => {
        this.metrics.feedListenerUp.set(1);
        if (reconnected) {
          this.logger.info({ connections: this.hub.size }, 'live feed listening again; catching up open feeds');
          void this.catchUpAll();
        }
      },
      onConnectionLost: (error, retryInMs) => {
        this.metrics.feedListenerUp.set(0);
        this.logger.warn({ err: error, retryInMs }, 'live feed LISTEN connection lost; reconnecting');
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.heartbeat = setInterval(() => {
      for (const stream of this.hub.all()) stream.heartbeat();
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.catchUpTimer = setInterval(() => void this.catchUpAll(), this.options.feedCatchUpMs);
    this.catchUpTimer.unref();
  }

  /** Before the HTTP server closes: open streams would otherwise keep it waiting. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.catchUpTimer);
    for (const stream of this.hub.all()) stream.close();
    await this.listener.stop();
  }

  /**
   * Takes a place among the merchant's feed connections, or answers 429 when they are all taken
   * (before anything is written, so the error is a normal JSON response).
   */
  reserve(merchantId: string, response: ServerResponse): FeedStream {
    const stream = new FeedStream(
      merchantId,
      response,
      (closed) => {
        this.hub.remove(closed);
        this.metrics.feedConnections.set(this.hub.size);
      },
      () => this.metrics.feedEventsSent.inc(),
    );
    if (!this.hub.add(stream)) {
      throw new ApiError(
        429,
        'too_many_feed_connections',
        {
          vi: `Cửa hàng đã mở tối đa ${this.hub.maxPerMerchant} màn hình nhận thông báo; hãy đóng bớt rồi thử lại`,
          en: `This merchant already has ${this.hub.maxPerMerchant} live feeds open; close one and retry`,
        },
        { limit: this.hub.maxPerMerchant },
      );
    }
    this.metrics.feedConnections.set(this.hub.size);
    response.on('close', () => stream.close());
    return stream;
  }

  /**
   * Starts a reserved stream (headers already sent): after `lastEventId` when given, otherwise
   * with the next payment. A failed catch-up closes the stream: EventSource reconnects and resumes.
   */
  async start(stream: FeedStream, lastEventId: bigint | undefined): Promise<void> {
    stream.open(this.options.reconnectMs);
    await this.catchUp(stream, async () => lastEventId ?? (await this.latestSeq(stream.merchantId)));
  }

  /** Deletes announced payments past their retention. Returns how many. */
  async prune(now = new Date()): Promise<number> {
    const rows = (await this.dataSource.query(
      `WITH gone AS (DELETE FROM merchant_notice WHERE recorded_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [new Date(now.getTime() - this.options.noticeRetentionMs)],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  get connections(): number {
    return this.hub.size;
  }

  get listening(): boolean {
    return this.listener.listening;
  }

  private async onNotification(payload: string): Promise<void> {
    const messages = parseChannelMessages(payload);
    if (messages.length === 0) {
      this.logger.warn({ payload: payload.slice(0, 200) }, 'ignoring a malformed live feed notification');
      return;
    }
    for (const message of messages) {
      if (this.hub.connectionsOf(message.merchantId) === 0) continue;
      let notice = message.notice;
      if (!notice) {
        // Too large to travel in the notification itself: read it back.
        const rows = (await this.dataSource.query('SELECT seq, payload FROM merchant_notice WHERE seq = $1', [
          String(message.seq),
        ])) as NoticeRow[];
        notice = rows[0]?.payload;
        if (!notice) continue;
      }
      this.hub.publish(message.merchantId, { seq: message.seq, notice });
    }
  }

  private async catchUpAll(): Promise<void> {
    for (const stream of this.hub.all()) await this.catchUp(stream);
  }

  /** Sends a stream what it missed (after `resumeAfter`, when given); on failure closes it, so the client resumes. */
  private async catchUp(stream: FeedStream, resumeAfter?: () => Promise<bigint>): Promise<void> {
    try {
      if (resumeAfter) stream.cursor = await resumeAfter();
      await stream.catchUp((after) => this.noticesAfter(stream.merchantId, after));
    } catch (error) {
      this.logger.warn({ err: error, merchantId: stream.merchantId }, 'live feed could not catch up; closing it');
      stream.close();
    }
  }

  private async latestSeq(merchantId: string): Promise<bigint> {
    const rows = (await this.dataSource.query(
      'SELECT max(seq)::text AS seq FROM merchant_notice WHERE merchant_id = $1',
      [merchantId],
    )) as { seq: string | null }[];
    return BigInt(rows[0]?.seq ?? 0);
  }

  private async noticesAfter(merchantId: string, after: bigint): Promise<FeedNotice[]> {
    const found: FeedNotice[] = [];
    for (let cursor = after; ;) {
      const rows = (await this.dataSource.query(
        'SELECT seq, payload FROM merchant_notice WHERE merchant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [merchantId, String(cursor), CATCH_UP_PAGE],
      )) as NoticeRow[];
      found.push(...rows.map(toFeedNotice));
      if (rows.length < CATCH_UP_PAGE) return found;
      cursor = found[found.length - 1].seq;
    }
  }
}
