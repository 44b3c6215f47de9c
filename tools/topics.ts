import { createKafka, ensureTopics, waitForKafka } from '@cashless/messaging';
import { topicPlan } from './topic-plan';

/**
 * `node dist/tools/topics.js`: creates the platform's topics on the cluster in KAFKA_BROKERS
 * (auto-creation is off everywhere). A one-shot deployment step; safe to run again.
 */
async function main(): Promise<void> {
  const plan = topicPlan(process.env);
  const kafka = createKafka({ brokers: plan.brokers, clientId: 'cashless-topics' });
  await waitForKafka(kafka, plan.waitMs);
  const created = await ensureTopics(kafka, plan.topics);
  process.stdout.write(created.length ? `Created topics: ${created.join(', ')}\n` : 'All topics exist\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not create topics: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
