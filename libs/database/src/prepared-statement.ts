import { createHash } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';

/**
 * A statement PostgreSQL parses and plans once per connection instead of on every call.
 *
 * Planning dominates the server's cost of the hot paths' short statements: measured on the
 * payment service's lock-and-merchant lookup, 320–340 µs of PostgreSQL CPU per call as an
 * unnamed statement and 47–53 µs as a named one (ADR 0016).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const registered = new Map<string, string>();

/**
 * Declares a prepared statement. Names are per process and must be unique: `pg` remembers one
 * text per name on each connection, and a second text under the same name would fail there.
 */
export function preparedStatement(name: string, text: string): PreparedStatement {
  const known = registered.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement "${name}" is declared twice`);
  registered.set(name, text);
  return { name, text };
}

/** The part of a `pg` client or pool this needs. */
interface PgQueryable {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export interface PreparedResult<T> {
  rows: T[];
  /** Rows inserted, updated or deleted (or returned, for a SELECT). */
  rowCount: number;
}

/**
 * Runs `statement` on the connection of `on`: the transaction's when `on` is a transactional
 * EntityManager, else any pooled connection. Errors are TypeORM's `QueryFailedError`, as from
 * `em.query`, with PostgreSQL's error code.
 */
export async function runPrepared<T>(
  on: EntityManager | DataSource,
  statement: PreparedStatement,
  values: unknown[],
): Promise<PreparedResult<T>> {
  const runner = on instanceof DataSource ? undefined : on.queryRunner;
  let target: PgQueryable;
  if (runner) {
    // As `em.query` does: a released runner would otherwise quietly take a new pooled connection,
    // outside the transaction the caller thinks it is in.
    if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    target = (await runner.connect()) as PgQueryable;
  } else {
    const dataSource = on instanceof DataSource ? on : on.connection;
    target = (dataSource.driver as unknown as { master: PgQueryable }).master;
  }
  try {
    const result = await target.query({ name: statement.name, text: statement.text, values });
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw new QueryFailedError(statement.text, values, error as Error);
  }
}

/** `runPrepared`'s rows only. */
export async function queryPrepared<T>(
  on: EntityManager | DataSource,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  return (await runPrepared<T>(on, statement, values)).rows;
}

const byText = new Map<string, PreparedStatement>();

/**
 * The prepared statement of `text`, named after it. For statements assembled from a few fixed
 * fragments (one per table, say), where declaring each variant by hand would only repeat them;
 * never for text that varies with the data, which would prepare a new statement every time.
 */
export function statementFor(text: string): PreparedStatement {
  let statement = byText.get(text);
  if (!statement) {
    statement = preparedStatement(`text_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text);
    byText.set(text, statement);
  }
  return statement;
}

/** `queryPrepared` of `statementFor(text)`. */
export function queryText<T>(on: EntityManager | DataSource, text: string, values: unknown[]): Promise<T[]> {
  return queryPrepared<T>(on, statementFor(text), values);
}
