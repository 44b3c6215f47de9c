import type { DataSource } from 'typeorm';

export interface OutboxRow {
  key: string;
  topic: string;
  type: string;
  data: Record<string, unknown>;
}

/** The events a service's transaction left in its outbox for `key`, oldest first. */
export async function outboxFor(dataSource: DataSource, key: string): Promise<OutboxRow[]> {
  const rows = (await dataSource.query('SELECT key, topic, payload FROM outbox_message WHERE key = $1 ORDER BY seq', [
    key,
  ])) as { key: string; topic: string; payload: string }[];
  return rows.map((r) => {
    const envelope = JSON.parse(r.payload) as { type: string; data: Record<string, unknown> };
    return { key: r.key, topic: r.topic, type: envelope.type, data: envelope.data };
  });
}
