import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LOGGER } from '@cashless/platform';
import type { AppLogger } from '@cashless/observability';
import { IntentsService } from './intents.service';

export const EXPIRY_OPTIONS = Symbol('EXPIRY_OPTIONS');
export interface ExpiryOptions {
  /** How often due intents are looked for; 0 turns the job off (tests drive `tick`). */
  intervalMs: number;
}

/** Runs by itself: marks due intents expired and prunes old idempotency keys. Safe on every replica. */
@Injectable()
export class IntentExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly intents: IntentsService,
    @Inject(EXPIRY_OPTIONS) private readonly options: ExpiryOptions,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(now = new Date()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      let total = 0;
      for (let n = await this.intents.expireDue(now); n > 0; n = await this.intents.expireDue(now)) total += n;
      await this.intents.pruneIdempotencyKeys();
      if (total > 0) this.logger.info({ expired: total }, 'payment intents expired');
      return total;
    } catch (error) {
      this.logger.warn({ err: error }, 'intent expiry failed; retrying on the next tick');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
