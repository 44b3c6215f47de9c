import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ServiceDataSourceOptions,
  createDataSource,
  dropDatabase,
  ensureDatabase,
  runMigrationsLocked,
  withDatabase,
  withMaintenanceClient,
} from '@cashless/database';

type MigrationList = NonNullable<ServiceDataSourceOptions['migrations']>;

function serverUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('TEST_POSTGRES_URL is not set: run integration tests through Jest (global setup)');
  return url;
}

/**
 * A fresh database for one test suite, cloned from a template migrated once per migration set
 * (`CREATE DATABASE … TEMPLATE`), so each suite starts clean in well under a second.
 */
export async function createTestDatabase(
  name: string,
  options: Omit<ServiceDataSourceOptions, 'url' | 'applicationName'>,
): Promise<{ url: string; dataSource: DataSource; drop: () => Promise<void> }> {
  const migrations = options.migrations as MigrationList;
  const fingerprint = createHash('sha1')
    // The migrations' source, so a changed migration gets a new template.
    .update((Array.isArray(migrations) ? migrations : []).map(String).join('\n'))
    .digest('hex')
    .slice(0, 10);
  const templateUrl = withDatabase(serverUrl(), `tpl_${fingerprint}`);
  await ensureDatabase(templateUrl);
  // Under the migration lock: a worker that finds the template being migrated waits, then finds nothing to do.
  const template = createDataSource({ ...options, url: templateUrl, applicationName: 'test-template', poolSize: 2 });
  await template.initialize();
  await runMigrationsLocked(template);
  await template.destroy();
  const dbName = `t_${name
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(serverUrl(), dbName);
  await cloneDatabase(templateUrl, dbName);
  const dataSource = createDataSource({ ...options, url, applicationName: `test-${name}` });
  await dataSource.initialize();
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(url);
    },
  };
}

async function cloneDatabase(templateUrl: string, dbName: string): Promise<void> {
  const template = new URL(templateUrl).pathname.slice(1);
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await withMaintenanceClient(templateUrl, (c) => c.query(`CREATE DATABASE ${dbName} TEMPLATE ${template}`));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
