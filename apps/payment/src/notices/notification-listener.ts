import { Client } from 'pg';
import type { ClientConfig } from 'pg';

export interface ListenerHandlers {
  /** A notification on the channel (its payload, as sent with pg_notify). */
  onNotification(payload: string): void;
  /** LISTEN is active again; `reconnected` = notifications may have been missed meanwhile. */
  onListening(reconnected: boolean): void;
  onConnectionLost(error: unknown, retryInMs: number): void;
}

export interface ListenerOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A query on the idle connection this often, so a silently dropped one is noticed. */
  pingIntervalMs?: number;
}

/**
 * One dedicated PostgreSQL connection that LISTENs on a channel (a pooled connection cannot: the
 * pool hands it to other queries). A lost connection is re-opened with exponential backoff and
 * jitter; `onListening(true)` tells the owner to fill the gap from the database.
 */
export class NotificationListener {
  private client?: Client;
  private retryTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private failures = 0;
  private listenedBefore = false;
  private stopped = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
    private readonly options: ListenerOptions = {},
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`unsafe channel name: ${channel}`);
  }

  /** Resolves after the first connection attempt, whatever its outcome (retries go on in the background). */
  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client(this.config);
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost) return;
      lost = true;
      this.lost(client, error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined)
        this.handlers.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      client.query('SELECT 1').catch(onLost);
    }, this.options.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
    const reconnected = this.listenedBefore;
    this.listenedBefore = true;
    this.handlers.onListening(reconnected);
  }

  private lost(client: Client, error: unknown): void {
    if (this.client === client) {
      this.client = undefined;
      clearInterval(this.pingTimer);
    }
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const initial = this.options.initialBackoffMs ?? 250;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 30_000, initial * 2 ** this.failures);
    this.failures++;
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.handlers.onConnectionLost(error, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }
}
