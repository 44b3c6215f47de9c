import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HttpMerchantAuthenticator, MERCHANT_AUTH_OPTIONS, MerchantAuthenticator } from '@cashless/auth';
import { CallerGuard } from './auth/caller.guard';
import { BalancesController } from './balances/balances.controller';
import { ledgerCatalog } from './events';
import { JournalRepository } from './journal/journal.repository';
import { LEDGER_CONFIG, loadLedgerConfig } from './ledger.config';
import type { LedgerConfig } from './ledger.config';
import { recordingPaymentEventsController } from './reconciliation/payment-events-recorder';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { ReconciliationJob } from './reconciliation/reconciliation.job';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { RefundsController } from './refunds/refunds.controller';
import { RefundsService } from './refunds/refunds.service';
import { StatementsController } from './statements/statements.controller';
import { StatementsService } from './statements/statements.service';

export interface LedgerModuleOptions {
  /** Who a credential belongs to; by default the merchant service is asked (ADR 0010). Specs inject a fake. */
  authenticator?: MerchantAuthenticator;
}

/**
 * The ledger service: the double-entry journal fed by payment events, refunds, balances. Needs
 * the platform's DataSource (DatabaseModule) and its outbox relay (MessagingModule). The consumed
 * topic is part of the configuration, so the module is built from it.
 */
@Module({})
export class LedgerModule {
  static forRoot(config: LedgerConfig = loadLedgerConfig(), options: LedgerModuleOptions = {}): DynamicModule {
    return {
      module: LedgerModule,
      controllers: [
        // Posts payment events (journal) and records the money-moving ones for reconciliation.
        recordingPaymentEventsController(config.paymentTopic),
        RefundsController,
        BalancesController,
        StatementsController,
        ReconciliationController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        {
          provide: JournalRepository,
          useFactory: (dataSource: DataSource) =>
            new JournalRepository(dataSource, { eventsTopic: config.eventsTopic, catalog: ledgerCatalog }),
          inject: [DataSource],
        },
        {
          provide: MERCHANT_AUTH_OPTIONS,
          useValue: { merchantUrl: config.merchantUrl, cacheTtlMs: config.merchantAuthCacheMs, timeoutMs: 3_000 },
        },
        options.authenticator
          ? { provide: MerchantAuthenticator, useValue: options.authenticator }
          : { provide: MerchantAuthenticator, useClass: HttpMerchantAuthenticator },
        CallerGuard,
        RefundsService,
        StatementsService,
        ReconciliationService,
        ReconciliationJob,
      ],
    };
  }
}
