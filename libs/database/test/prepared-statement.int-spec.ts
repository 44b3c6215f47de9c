import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { preparedStatement, queryPrepared, queryText, runPrepared, statementFor } from '@cashless/database';
import { createTestDatabase } from '../../../test/support/databases';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

const INSERT_NOTE = preparedStatement(
  'test_insert_note',
  'INSERT INTO prepared_note (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
);
const COUNT_NOTES = preparedStatement('test_count_notes', 'SELECT count(*)::int AS n FROM prepared_note');

describe('prepared statements', () => {
  let db: Db;

  beforeAll(async () => {
    db = await createTestDatabase('prepared', {});
    await db.dataSource.query("CREATE TABLE prepared_note (id int PRIMARY KEY, body text NOT NULL CHECK (body <> ''))");
  });

  afterAll(async () => {
    await db.drop();
  });

  const count = async () => (await queryPrepared<{ n: number }>(db.dataSource, COUNT_NOTES, []))[0].n;

  it('runs on the transaction’s own connection: it sees the transaction’s writes, and a rollback takes them back', async () => {
    await expect(
      db.dataSource.transaction(async (em) => {
        await em.query("INSERT INTO prepared_note (id, body) VALUES (1, 'typeorm')");
        const inserted = await runPrepared<{ id: number }>(em, INSERT_NOTE, [2, 'prepared']);
        expect(inserted.rows).toEqual([{ id: 2 }]);
        expect((await queryPrepared<{ n: number }>(em, COUNT_NOTES, []))[0].n).toBe(2);
        // Another connection does not see the uncommitted rows.
        expect(await count()).toBe(0);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count()).toBe(0);
  });

  it('is prepared once per connection and reused, with the row count of a write', async () => {
    await db.dataSource.transaction(async (em) => {
      // This connection's statement of that name (the pool may have run it on this connection before).
      const runs = async () => {
        const statements = (await em.query(
          `SELECT generic_plans + custom_plans AS runs FROM pg_prepared_statements WHERE name = 'test_insert_note'`,
        )) as { runs: string }[];
        expect(statements.length).toBeLessThanOrEqual(1);
        return Number(statements[0]?.runs ?? 0);
      };
      const before = await runs();
      for (let id = 10; id < 20; id++) await runPrepared(em, INSERT_NOTE, [id, `note ${id}`]);
      const again = await runPrepared(em, INSERT_NOTE, [10, 'duplicate']);
      expect(again.rowCount).toBe(0);
      // One statement, run for all eleven calls.
      expect((await runs()) - before).toBe(11);
    });
    expect(await count()).toBe(10);
  });

  it('fails as em.query does: a QueryFailedError with PostgreSQL’s code', async () => {
    const error = await db.dataSource
      .transaction((em) => runPrepared(em, INSERT_NOTE, [99, '']))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as { code?: string }).code).toBe('23514'); // check_violation
    expect(await count()).toBe(10);
  });

  it('refuses a released query runner instead of running outside its transaction', async () => {
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.release();
    await expect(runPrepared(runner.manager, INSERT_NOTE, [98, 'late'])).rejects.toThrow('released');
    expect(await count()).toBe(10);
  });

  it('refuses a second text under a name already declared', () => {
    expect(() => preparedStatement('test_insert_note', 'SELECT 1')).toThrow('declared twice');
    expect(preparedStatement('test_insert_note', INSERT_NOTE.text)).toEqual(INSERT_NOTE);
  });

  it('names a statement after its text: the same text, the same statement; another text, another', async () => {
    const text = 'SELECT body FROM prepared_note WHERE id = $1';
    expect(statementFor(text)).toBe(statementFor(text));
    expect(statementFor(`${text} AND body <> ''`).name).not.toBe(statementFor(text).name);
    expect(await queryText<{ body: string }>(db.dataSource, text, [11])).toEqual([{ body: 'note 11' }]);
  });
});
