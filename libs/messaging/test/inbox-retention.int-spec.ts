import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pruneInbox } from '@cashless/messaging';
import { createTestDatabase } from '../../../test/support/databases';
import { testMigrations } from './fixtures';

describe('inbox retention', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('inbox_retention', { migrations: testMigrations });
  });
  afterAll(() => db.drop());

  it('forgets processed events only after the retention period', async () => {
    await db.dataSource.query(
      `INSERT INTO inbox_message (consumer, event_id, topic, partition, kafka_offset, processed_at)
       SELECT 'c', gen_random_uuid(), 't', 0, n, now() - make_interval(days => CASE WHEN n <= 6000 THEN 15 ELSE 13 END)
       FROM generate_series(1, 6010) AS n`,
    );
    expect(await pruneInbox(db.dataSource, 14)).toBe(6000);
    const [{ n }] = (await db.dataSource.query('SELECT count(*)::int AS n FROM inbox_message')) as { n: number }[];
    expect(n).toBe(10);
  });
});
