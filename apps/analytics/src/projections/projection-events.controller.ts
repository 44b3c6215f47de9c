import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { InboxContext, OnTopic } from '@cashless/messaging';
import { ANALYTICS_CONFIG } from '../analytics.config';
import type { AnalyticsConfig } from '../analytics.config';
import { merchantFactOf, paymentFactOf } from './facts';
import type { MerchantFact, PaymentFact } from './facts';
import { ProjectionStore } from './projection-store';

/**
 * Keeps the projections from `merchant.events.v1` and `payment.events.v1` (inbox: each event
 * applied once; batches written with a few statements in the inbox transaction).
 */
@Controller()
export class ProjectionEventsController {
  constructor(
    private readonly store: ProjectionStore,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  @OnTopic(Topics.merchantEvents, { batch: true })
  async onMerchantEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
    const facts = events.map(merchantFactOf).filter((f): f is MerchantFact => f !== null);
    await this.store.apply(ctx.transaction, facts, []);
  }

  @OnTopic(Topics.paymentEvents, { batch: true })
  async onPaymentEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
    const facts = events
      .map((e) => paymentFactOf(e, this.config.payerSalt))
      .filter((f): f is PaymentFact => f !== null);
    await this.store.apply(ctx.transaction, [], facts);
  }
}
