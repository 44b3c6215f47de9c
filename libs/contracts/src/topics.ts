/**
 * Topic names carry the contract version: a breaking change gets a new topic, so old and new
 * consumers can run side by side during a migration.
 */
export const Topics = {
  merchantEvents: 'merchant.events.v1',
  paymentEvents: 'payment.events.v1',
  ledgerEvents: 'ledger.events.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Where a consumer parks a message it could not process, with the error. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Every topic the platform uses, created explicitly at start-up (auto-creation is off). */
export function platformTopics(partitions = 6): TopicSpec[] {
  return Object.values(Topics).flatMap((name) => [
    { name, partitions },
    { name: deadLetterTopic(name), partitions: 1 },
  ]);
}
