import { z } from 'zod';
import { kafkaEnv, loadConfig } from '@cashless/config';
import { platformTopics, type TopicSpec } from '@cashless/contracts';

/** What `node dist/tools/topics.js` reads from its environment. */
export const topicsEnv = z.object({
  KAFKA_BROKERS: kafkaEnv.shape.KAFKA_BROKERS,
  /** Partitions of each event topic (dead-letter topics get one). */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** How long to wait for the cluster to answer before giving up. */
  KAFKA_WAIT_MS: z.coerce.number().int().min(0).default(60000),
});

export interface TopicPlan {
  brokers: string[];
  waitMs: number;
  topics: TopicSpec[];
}

/**
 * The topics step's whole decision, kept apart from the Kafka calls so that a deployment's
 * environment (e.g. the Compose file's) can be checked to create every platform topic.
 */
export function topicPlan(env: Record<string, string | undefined>): TopicPlan {
  const config = loadConfig(topicsEnv, env);
  return {
    brokers: config.KAFKA_BROKERS,
    waitMs: config.KAFKA_WAIT_MS,
    topics: platformTopics(config.KAFKA_TOPIC_PARTITIONS),
  };
}
