import { platformTopics } from '@cashless/contracts';
import { createKafka, ensureTopics, waitForKafka } from '@cashless/messaging';

/**
 * `node dist/tools/topics.js`: creates the platform's topics on the cluster in KAFKA_BROKERS
 * (auto-creation is off everywhere). A one-shot deployment step; safe to run again.
 */
async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set (host:port[,host:port…])');
  const partitions = Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6);
  const kafka = createKafka({ brokers, clientId: 'cashless-topics' });
  await waitForKafka(kafka, Number(process.env.KAFKA_WAIT_MS ?? 60000));
  const created = await ensureTopics(kafka, platformTopics(partitions));
  process.stdout.write(created.length ? `Created topics: ${created.join(', ')}\n` : 'All topics exist\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not create topics: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
