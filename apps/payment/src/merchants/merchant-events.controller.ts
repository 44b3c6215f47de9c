import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { InboxContext, OnTopic } from '@cashless/messaging';
import { MerchantReadModel } from './merchant-read-model';
import { latestPerMerchant } from './merchant-snapshot';

/** Keeps the merchant read model from `merchant.events.v1` (inbox: each event applied once). */
@Controller()
export class MerchantEventsController {
  constructor(private readonly readModel: MerchantReadModel) {}

  @OnTopic(Topics.merchantEvents, { batch: true })
  async onMerchantEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
    await this.readModel.apply(ctx.transaction, latestPerMerchant(events));
  }
}
