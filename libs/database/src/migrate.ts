import { DataSource } from 'typeorm';
import { ServiceDataSourceOptions, createDataSource } from './data-source';
import { ensureDatabase } from './ensure-database';

/** Constant advisory-lock key for schema migrations ("cashmigr" as an int). */
const MIGRATION_LOCK_KEY = 0x63617368;

/**
 * Runs pending migrations while holding a session advisory lock, so two processes starting at
 * once (replicas, or `npm start` next to a test run) never apply the same migration twice.
 * TypeORM has no lock of its own.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}

/** Creates the service database if missing, then migrates it. The one-shot pre-start step. */
export async function prepareDatabase(options: ServiceDataSourceOptions): Promise<string[]> {
  await ensureDatabase(options.url);
  const dataSource = createDataSource({ ...options, poolSize: 2 });
  await dataSource.initialize();
  try {
    return await runMigrationsLocked(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
