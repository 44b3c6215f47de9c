import { EntityManager } from 'typeorm';
import { EventCatalog, EventEnvelope, NewEvent, createEnvelope } from '@cashless/contracts';
import { preparedStatement, runPrepared } from '@cashless/database';

export interface OutgoingEvent<TData = unknown> extends NewEvent<TData> {
  topic: string;
}

export interface RawOutboxRecord {
  id: string;
  topic: string;
  key: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * Writes events into the outbox inside the caller's transaction, so an event exists if and only
 * if the business change that caused it was committed.
 */
export class OutboxWriter {
  constructor(private readonly catalog: EventCatalog) {}

  /** Validates and appends; returns the envelopes as they will be published. */
  async append(em: EntityManager, events: OutgoingEvent[]): Promise<EventEnvelope[]> {
    assertInTransaction(em);
    const envelopes = events.map((e) => {
      const envelope = createEnvelope(e);
      // Validate on publish: a bad event is a bug in this service and must fail its transaction.
      this.catalog.validate(envelope);
      return { topic: e.topic, envelope };
    });
    await appendRaw(
      em,
      envelopes.map(({ topic, envelope }) => ({
        id: envelope.id,
        topic,
        key: envelope.key,
        payload: JSON.stringify(envelope),
        headers: { 'event-id': envelope.id, 'event-type': envelope.type, 'trace-id': envelope.traceId },
      })),
    );
    return envelopes.map((e) => e.envelope);
  }
}

// One statement, the records as one JSON document (cheaper to build and to parse than five
// escaped arrays). The materialised CTE takes the key locks, sorted by lock id (not key) so every
// transaction locks in the same order and none can deadlock, before the insert draws any
// sequence number: the insert's rows wait on the scalar sub-query that reads the CTE.
const APPEND_OUTBOX = preparedStatement(
  'messaging_append_outbox',
  `WITH records AS MATERIALIZED (
     SELECT * FROM json_to_recordset($1::json) AS t(id uuid, topic text, key text, payload text, headers jsonb)
   ), locks AS MATERIALIZED (
     SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(key, 0) AS h FROM records) ids ORDER BY h
   )
   INSERT INTO outbox_message (id, topic, key, payload, headers)
   SELECT id, topic, key, payload, headers FROM records
   WHERE (SELECT count(*) FROM locks) >= 0`,
);

/**
 * Appends pre-serialised records. Takes a transaction-scoped advisory lock per key first, so two
 * transactions writing for the same key commit in the order of their sequence numbers; the
 * relay publishes in sequence order and therefore keeps per-key order.
 */
export async function appendRaw(em: EntityManager, records: RawOutboxRecord[]): Promise<void> {
  if (records.length === 0) return;
  await runPrepared(em, APPEND_OUTBOX, [JSON.stringify(records)]);
}

function assertInTransaction(em: EntityManager): void {
  if (!em.queryRunner?.isTransactionActive) {
    throw new Error('OutboxWriter.append must run inside dataSource.transaction(...)');
  }
}
