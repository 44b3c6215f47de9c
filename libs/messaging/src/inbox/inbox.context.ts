import { BaseRpcContext } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@cashless/contracts';

type InboxContextArgs = [EventEnvelope, EntityManager, string, number, string];

/**
 * Handed to `@EventPattern` handlers as `@Ctx()`. `transaction` is the database transaction
 * in which the inbox row for this event was written: a handler's effect written through it
 * commits together with the "processed" mark, so a redelivered event has no second effect.
 */
export class InboxContext extends BaseRpcContext<InboxContextArgs> {
  get envelope(): EventEnvelope {
    return this.args[0];
  }
  get transaction(): EntityManager {
    return this.args[1];
  }
  get topic(): string {
    return this.args[2];
  }
  get partition(): number {
    return this.args[3];
  }
  get offset(): string {
    return this.args[4];
  }
}
