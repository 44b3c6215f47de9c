import { Module } from '@nestjs/common';
import { PAYMENT_CONFIG } from '../payment.config';
import type { PaymentConfig } from '../payment.config';
import { FeedController } from './feed.controller';
import { LiveFeed } from './live-feed.service';
import { LiveNoticeSignal } from './live-notice-signal';
import { NoticeMetrics } from './notice-metrics';
import { NOTICE_OPTIONS, noticeOptionsFrom } from './notice-options';
import { PaymentNotices } from './payment-notices';
import { TransactionalPaymentNotices } from './transactional-payment-notices';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhooksController } from './webhooks.controller';

/**
 * Instant notice to shop owners: the live feed (SSE, fed by PostgreSQL LISTEN/NOTIFY after each recording commits) and signed
 * merchant webhooks (outbox rows sent by a worker with retries). Needs the platform's DataSource,
 * logger and metrics, and PAYMENT_CONFIG from the global PaymentAuthModule.
 */
@Module({
  controllers: [FeedController, WebhooksController],
  providers: [
    { provide: NOTICE_OPTIONS, useFactory: (c: PaymentConfig) => noticeOptionsFrom(c), inject: [PAYMENT_CONFIG] },
    NoticeMetrics,
    LiveFeed,
    LiveNoticeSignal,
    WebhookEndpoints,
    WebhookDeliveries,
    WebhookDeliveryJob,
    { provide: PaymentNotices, useClass: TransactionalPaymentNotices },
  ],
  exports: [PaymentNotices],
})
export class NoticesModule {}
