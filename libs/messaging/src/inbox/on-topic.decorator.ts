import { EventPattern } from '@nestjs/microservices';

export interface OnTopicOptions {
  /**
   * Receive the chunk's new events as one array (`EventEnvelope[]`) instead of one call per event,
   * so a handler can write them with a few statements. Same transaction, same guarantees.
   */
  batch?: boolean;
}

/**
 * Marks a controller method as the handler of every event on `topic`, run by KafkaInboxServer:
 * `(@Payload() envelope: EventEnvelope, @Ctx() ctx: InboxContext)`. Write the effect through
 * `ctx.transaction` so it commits with the inbox mark.
 */
export function OnTopic(topic: string, options: OnTopicOptions = {}): MethodDecorator {
  return EventPattern<string>(topic, { batch: options.batch === true });
}
