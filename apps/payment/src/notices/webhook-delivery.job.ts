import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppLogger } from '@cashless/observability';
import { LOGGER } from '@cashless/platform';
import { LiveFeed } from './live-feed.service';
import { NOTICE_OPTIONS } from './notice-options';
import type { NoticeOptions } from './notice-options';
import { WebhookDeliveries } from './webhook-deliveries.service';

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Runs by itself on every instance: sends due webhook deliveries each `deliveryIntervalMs`, and
 * about hourly prunes old notices and settled deliveries. Interval 0 = off (tests drive it).
 */
@Injectable()
export class WebhookDeliveryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastPruneAt = 0;

  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly feed: LiveFeed,
    @Inject(NOTICE_OPTIONS) private readonly options: NoticeOptions,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.deliveryIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.options.deliveryIntervalMs);
    this.timer.unref();
  }

  /** Waits for a tick in progress: the database pool closes later in shutdown, after module destroy. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  tick(now = new Date()): Promise<void> {
    if (this.running) return this.running;
    this.running = this.run(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(now: Date): Promise<void> {
    try {
      await this.deliveries.deliverDue(now);
      if (now.getTime() - this.lastPruneAt >= PRUNE_EVERY_MS) {
        this.lastPruneAt = now.getTime();
        const notices = await this.feed.prune(now);
        const deliveries = await this.deliveries.prune(now);
        if (notices + deliveries > 0) this.logger.info({ notices, deliveries }, 'old notices and deliveries pruned');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook delivery failed; retrying on the next tick');
    }
  }
}
