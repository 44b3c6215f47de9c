import { EventPattern } from '@nestjs/microservices';

/**
 * Marks a controller method as the handler of every event on `topic`, run by KafkaInboxServer:
 * `(@Payload() envelope: EventEnvelope, @Ctx() ctx: InboxContext)`. Write the effect through
 * `ctx.transaction` so it commits with the inbox mark.
 */
export function OnTopic(topic: string): MethodDecorator {
  return EventPattern<string>(topic);
}
