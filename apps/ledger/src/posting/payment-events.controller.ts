import { Controller, Inject, Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@cashless/contracts';
import { InboxContext, OnTopic } from '@cashless/messaging';
import type { BatchPlan } from '../journal/batch-plan';
import { kafkaLane } from '../journal/hash-chain';
import { JournalRepository } from '../journal/journal.repository';
import { postingsFor } from '../journal/posting-rules';

/**
 * Posts a chunk of payment events of one partition in the inbox's database transaction (the
 * inbox has already dropped the events this consumer processed before). The partition is the
 * lane: its own hash chain and balance buckets.
 */
export function postPaymentEvents(
  journal: JournalRepository,
  events: EventEnvelope[],
  ctx: InboxContext,
): Promise<BatchPlan> {
  return journal.post(ctx.transaction, kafkaLane(ctx.topic, ctx.partition), postingsFor(events));
}

/** The consumer of payment events (batch handler), built for the topic the configuration names. */
export function paymentEventsController(topic: string): Type<unknown> {
  @Controller()
  class PaymentEventsController {
    constructor(@Inject(JournalRepository) private readonly journal: JournalRepository) {}

    @OnTopic(topic, { batch: true })
    async onPaymentEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
      await postPaymentEvents(this.journal, events, ctx);
    }
  }
  return PaymentEventsController;
}
