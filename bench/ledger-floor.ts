import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDataSource, databaseNameOf, dropDatabase, prepareDatabase } from '@cashless/database';
import { ledgerDatabase } from '../apps/ledger/src/database';
import { cpuSample, cpuShares, postmasterOf } from './ledger-load';

/**
 * The database's floor for ledger postings on this machine: PostgreSQL alone writing the rows a
 * batched posting writes (a journal transaction with hash-chain link and memo, two entries, an
 * inbox row, an outbox row of about 900 bytes, the lane's balance buckets), each batch generated
 * inside the server by one statement, so nothing else (Kafka, event decoding, rules, hashing in
 * Node, JSON on the wire) takes any CPU. No design of the ledger that writes these rows can post
 * faster than this on the same server; the Node process and the broker share the same cores.
 */
const FLOOR_BATCH = `
WITH g AS MATERIALIZED (
  SELECT s AS seq, gen_random_uuid() AS id, gen_random_uuid() AS event_id, ($3::uuid[])[1 + (s % cardinality($3::uuid[]))] AS account
  FROM generate_series($1::bigint, $2::bigint) s
), tx AS (
  INSERT INTO ledger_transaction (chain_id, chain_seq, id, posting_key, rule, source_event_id, source_event_type,
    merchant_id, channel, payment_id, notification_id, effective_at, posted_at, memo, prev_hash, hash)
  SELECT $4, seq, id, 'receipt:' || id, 'static_qr_payment', event_id, 'payment.static_received', account, 'static_qr',
    gen_random_uuid(), gen_random_uuid(), now(), now(), '{"payerName":"NGUYEN VAN KHACH","content":"THANH TOAN"}'::jsonb,
    sha256(id::text::bytea), sha256(event_id::text::bytea)
  FROM g
), entries AS (
  INSERT INTO ledger_entry (transaction_id, line, account_id, side, amount, effective_at)
  SELECT id, line, CASE WHEN line = 0 THEN account ELSE ($3::uuid[])[1] END,
    CASE WHEN line = 0 THEN 'debit' ELSE 'credit' END, 25000, now()
  FROM g, generate_series(0, 1) line
), inbox AS (
  INSERT INTO inbox_message (consumer, event_id, topic, partition, kafka_offset)
  SELECT 'ledger', event_id, 'payment.events.v1', 0, seq FROM g
), outbox AS (
  INSERT INTO outbox_message (id, topic, key, payload, headers)
  SELECT gen_random_uuid(), 'ledger.events.v1', account::text, $5, '{"event-type":"ledger.transaction_posted"}' FROM g
)
INSERT INTO ledger_balance (account_id, lane, debits, credits)
SELECT account, $4, sum(25000), 0 FROM g GROUP BY account
ON CONFLICT (account_id, lane) DO UPDATE SET debits = ledger_balance.debits + excluded.debits`;

export interface FloorRun {
  postings: number;
  seconds: number;
  postgresCores: number;
  lanes: number;
  batch: number;
}

/** Runs the floor on a fresh database at `url` for `seconds`: `lanes` connections, `batch` postings per transaction. */
export async function measureDatabaseFloor(
  url: string,
  options: { seconds: number; lanes: number; batch: number; merchants: number },
): Promise<FloorRun> {
  await dropDatabase(url);
  await prepareDatabase({ ...ledgerDatabase, url, applicationName: 'bench-ledger-floor' });
  const dataSource = createDataSource({
    ...ledgerDatabase,
    url,
    applicationName: 'bench-ledger-floor',
    poolSize: options.lanes + 1,
  });
  await dataSource.initialize();
  try {
    const accounts = Array.from({ length: options.merchants }, () => randomUUID());
    const payload = JSON.stringify({ type: 'ledger.transaction_posted', data: 'x'.repeat(850) });
    const postmaster = await postmasterOf(dataSource);
    const start = cpuSample(postmaster, databaseNameOf(url), [], undefined);
    const startedAt = Date.now();
    const deadline = startedAt + options.seconds * 1000;
    let postings = 0;
    await Promise.all(
      Array.from({ length: options.lanes }, async (_, lane) => {
        let seq = 1;
        while (Date.now() < deadline) {
          await dataSource.transaction((em) =>
            em.query(FLOOR_BATCH, [seq, seq + options.batch - 1, accounts, `floor-${lane}`, payload]),
          );
          seq += options.batch;
          postings += options.batch;
        }
      }),
    );
    const seconds = (Date.now() - startedAt) / 1000;
    await sleep(100);
    const cpu = cpuShares(start, cpuSample(postmaster, databaseNameOf(url), [], undefined));
    return { postings, seconds, postgresCores: cpu.postgres, lanes: options.lanes, batch: options.batch };
  } finally {
    await dataSource.destroy();
  }
}
