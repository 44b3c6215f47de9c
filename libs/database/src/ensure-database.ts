import { Client } from 'pg';
import { assertSafeIdentifier, databaseNameOf, withDatabase } from './postgres-url';

/** Opens a short-lived connection to the server's maintenance database. */
export async function withMaintenanceClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist yet (safe under concurrency). */
export async function ensureDatabase(url: string, template?: string): Promise<boolean> {
  const name = assertSafeIdentifier(databaseNameOf(url));
  return withMaintenanceClient(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      const from = template ? ` TEMPLATE ${assertSafeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${name}${from}`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database: another process created it first, which is fine.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = assertSafeIdentifier(databaseNameOf(url));
  await withMaintenanceClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Resolves when a server answers at `url` (maintenance db), false after the timeout. */
export async function isPostgresReachable(url: string, timeoutMs = 3000): Promise<boolean> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
