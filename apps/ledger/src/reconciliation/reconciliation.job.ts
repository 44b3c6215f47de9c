import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LEDGER_CONFIG } from '../ledger.config';
import type { LedgerConfig } from '../ledger.config';
import { previousVietnamDate, vietnamDay } from '../statements/statement';
import { ReconciliationService } from './reconciliation.service';

/**
 * Reconciles the previous day (Vietnam time) every `reconciliationIntervalMs` (0 = off). The
 * bank notifications need a credential the payment service accepts: `LEDGER_RECONCILIATION_TOKEN`
 * (an officer credential); without one the job compares postings with events only and the
 * stored report says so. Several instances may run it: each run is stored, none is destructive.
 */
@Injectable()
export class ReconciliationJob implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('ReconciliationJob');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reconciliation: ReconciliationService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.reconciliationIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.reconciliationIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async tick(now = new Date()): Promise<void> {
    const date = previousVietnamDate(now);
    const day = vietnamDay(date, now);
    if (!day.ok) return;
    const token = this.config.reconciliationToken;
    try {
      const report = await this.reconciliation.run(
        { date, from: day.from, to: day.to },
        { trigger: 'schedule', requestedBy: null, authorization: token ? `Bearer ${token}` : null },
      );
      this.log.log(`reconciled ${date}: ${report.clean ? 'clean' : `${report.differences.length} differences`}`);
    } catch (error) {
      this.log.error(`reconciliation of ${date} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
