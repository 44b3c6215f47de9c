import type { EventEnvelope } from '@cashless/contracts';
import { createDataSource } from '@cashless/database';
import { KafkaInboxServer, createKafka } from '@cashless/messaging';
import type { InboxContext } from '@cashless/messaging';
import { ledgerDatabase } from '../apps/ledger/src/database';
import { ledgerCatalog } from '../apps/ledger/src/events';
import { JournalRepository } from '../apps/ledger/src/journal/journal.repository';
import { postPaymentEvents } from '../apps/ledger/src/posting/payment-events.controller';

/**
 * One ledger consumer instance of bench:scaling, in its own process as a replica would be: a
 * KafkaInboxServer with the ledger's batch posting handler, in the consumer group the driver
 * names, writing into the database the driver prepared. Every instance of a run shares the
 * group, so Kafka spreads the topic's partitions over them.
 */
export type ScalingConsumerReport = { kind: 'ready' } | { kind: 'error'; message: string };

const send = (report: ScalingConsumerReport) => process.send?.(report);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const concurrency = Number(required('BENCH_CONCURRENCY'));
  const dataSource = createDataSource({
    ...ledgerDatabase,
    url: required('DATABASE_URL'),
    applicationName: `bench-scaling-${process.env.INSTANCE_ID ?? '0'}`,
    // Account creation takes a second connection for a moment (ADR 0011).
    poolSize: concurrency + 3,
  });
  await dataSource.initialize();
  const journal = new JournalRepository(dataSource, { eventsTopic: 'bench.ledger-out.v1', catalog: ledgerCatalog });
  const server = new KafkaInboxServer({
    kafka: createKafka({
      brokers: required('KAFKA_BROKERS').split(','),
      clientId: `bench-scaling-${process.env.INSTANCE_ID ?? '0'}`,
    }),
    groupId: required('BENCH_GROUP'),
    dataSource,
    catalog: ledgerCatalog,
    chunkSize: Number(required('BENCH_CHUNK')),
    partitionsConsumedConcurrently: concurrency,
  });
  server.addHandler(
    required('BENCH_TOPIC'),
    async (envelopes: EventEnvelope[], ctx: InboxContext) => {
      await postPaymentEvents(journal, envelopes, ctx);
    },
    true,
    { batch: true },
  );
  await new Promise<void>((resolve, reject) => server.listen((err?: unknown) => (err ? reject(err) : resolve())));
  // A graceful stop lets the chunk in flight commit with its offset, so the inbox and the
  // committed offsets agree when the driver compares them.
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => dataSource.destroy())
      .finally(() => process.exit(0));
  });
  send({ kind: 'ready' });
}

main().catch((error: unknown) => {
  send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
