// Integration and end-to-end tests run against a real PostgreSQL and a real Kafka broker: the
// configured ones when reachable, otherwise a local server and a broker started from the Maven
// Central jars (stopped again in global-teardown if this run started it).
//
// Jest loads global setup outside its module system (no path aliases), so this file uses the
// compiled tools; `npm test` builds them first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const infraPath = new URL('../../dist/tools/infra/index.js', import.meta.url);

export default async function globalSetup() {
  if (!existsSync(infraPath)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) first');
  const { dataDir, repoRoot, resolveKafka, resolvePostgres } = require(infraPath.pathname);
  const { ensureTopics, createKafka } = require(
    new URL('../../dist/libs/messaging/src/index.js', import.meta.url).pathname,
  );
  const { platformTopics } = require(new URL('../../dist/libs/contracts/src/index.js', import.meta.url).pathname);

  const root = repoRoot();
  const log = (message) => process.stderr.write(`[test infra] ${message}\n`);
  const postgres = await resolvePostgres({ dataDir: dataDir(root), log });
  const kafka = await resolveKafka({ root, dataDir: dataDir(root), log });
  await ensureTopics(createKafka({ brokers: kafka.brokers, clientId: 'test-setup' }), platformTopics());
  // Test workers are spawned after this and inherit the environment.
  process.env.TEST_POSTGRES_URL = postgres.serverUrl;
  process.env.KAFKA_BROKERS = kafka.brokers.join(',');
  log(`PostgreSQL: ${postgres.source}; Kafka: ${kafka.source} (${kafka.brokers.join(',')})`);
  globalThis.__cashlessInfra = { postgres, kafka };
}
