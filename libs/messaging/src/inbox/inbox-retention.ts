import { DataSource } from 'typeorm';

/**
 * Inbox rows only need to outlive any possible redelivery: Kafka keeps messages for 7 days
 * (broker `log.retention.hours=168`), so rows older than the retention below can go.
 */
export const INBOX_RETENTION_DAYS = 14;

/** Deletes processed-event marks older than `retentionDays`, in small batches; returns how many. */
export async function pruneInbox(dataSource: DataSource, retentionDays = INBOX_RETENTION_DAYS): Promise<number> {
  let total = 0;
  for (;;) {
    const runner = dataSource.createQueryRunner();
    try {
      const result = await runner.query(
        `DELETE FROM inbox_message WHERE ctid IN (
           SELECT ctid FROM inbox_message WHERE processed_at < now() - make_interval(days => $1) LIMIT 5000
         )`,
        [retentionDays],
        true,
      );
      const deleted = result.affected ?? 0;
      total += deleted;
      if (deleted < 5000) return total;
    } finally {
      await runner.release();
    }
  }
}
