import { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, repoRoot, resolveKafka, resolvePostgres, stopProcess } from '@cashless/infra';
import {
  assertPortsFree,
  createPlatformTopics,
  prepareDatabases,
  serviceEnv,
  serviceSpec,
  serviceUrl,
  spawnService,
  tail,
  waitHealthy,
} from './platform-runtime';
import type { PlatformAddresses } from './platform-runtime';
import { SERVICES } from './services';
import type { ServiceSpec } from './services';

/**
 * `npm start`: brings up PostgreSQL and Kafka (reusing configured or running ones), migrates
 * every service's database, starts each service as its own process, waits until all are
 * healthy and prints the addresses. Ctrl-C / SIGTERM stops everything it started, and so does
 * any service dying (a platform with a hole in it is not "running").
 */
const root = repoRoot();
const data = dataDir(root);
const logsDir = join(data, 'logs');
const basePort = Number(process.env.CASHLESS_PORT_BASE ?? 8080);
const healthTimeoutMs = Number(process.env.CASHLESS_START_TIMEOUT_MS ?? 120000);

const say = (message: string) => process.stdout.write(`${message}\n`);
const stops: { name: string; stop: () => Promise<void> }[] = [];
const children = new Map<string, ChildProcess>();
let shuttingDown = false;

async function main(): Promise<void> {
  // `on`, not `once`: a second Ctrl-C (or a signal forwarded twice) must not kill this process
  // halfway through stopping, orphaning the broker and the database.
  process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
  mkdirSync(logsDir, { recursive: true });

  const postgres = await resolvePostgres({ dataDir: data, log: say });
  if (postgres.stop) stops.push({ name: 'embedded PostgreSQL', stop: postgres.stop });
  const kafka = await resolveKafka({ root, dataDir: data, log: say });
  if (kafka.stop) stops.push({ name: 'Kafka broker', stop: kafka.stop });
  say(`PostgreSQL: ${postgres.source} · Kafka: ${kafka.source} (${kafka.brokers.join(',')})`);
  if (shuttingDown) return;

  const created = await createPlatformTopics(kafka.brokers, 'cashless-start');
  if (created.length) say(`Created topics: ${created.join(', ')}`);

  await assertPortsFree(basePort);
  const at: PlatformAddresses = { basePort, postgresUrl: postgres.serverUrl, kafkaBrokers: kafka.brokers };
  const env = (spec: ServiceSpec) => serviceEnv(spec, at);

  // Migrations: one-shot, per service, before any service starts; then demo data where the
  // database has none yet (events it writes wait in the outbox until the services run).
  await prepareDatabases(root, env, process.env.CASHLESS_DEMO_DATA !== '0', say);
  if (shuttingDown) return;

  for (const spec of SERVICES) startService(spec, env(spec));
  await waitHealthy(
    basePort,
    SERVICES.map((s) => s.name),
    healthTimeoutMs,
    () => shuttingDown,
  );
  if (shuttingDown) return;

  say('');
  say('Cashless Street is running.');
  say(`  Public origin (gateway):   ${serviceUrl(basePort, serviceSpec('gateway'))}`);
  for (const spec of SERVICES.filter((s) => s.name !== 'gateway'))
    say(`  ${spec.name.padEnd(10)} ${serviceUrl(basePort, spec)}`);
  say(`  Logs: ${logsDir}`);
  say('Press Ctrl-C to stop everything.');
}

function startService(spec: ServiceSpec, env: NodeJS.ProcessEnv): void {
  const logFile = join(logsDir, `${spec.name}.log`);
  const child = spawnService(root, spec, env, logFile);
  children.set(spec.name, child);
  child.once('exit', (code, signal) => {
    children.delete(spec.name);
    if (shuttingDown) return;
    say(`\n${spec.name} stopped unexpectedly (${signal ?? `exit ${code}`}). Last log lines:\n${tail(logFile, 15)}`);
    void shutdown(1, `${spec.name} exited`);
  });
}

async function shutdown(code: number, reason: string): Promise<void> {
  if (shuttingDown) {
    say(`Still stopping (${reason} ignored)…`);
    return;
  }
  shuttingDown = true;
  say(`\nStopping (${reason})…`);
  // Services first (they drain consumers and the outbox relay), then the broker and database.
  await Promise.all([...children.values()].map((child) => (child.pid ? stopProcess(child.pid, 15000) : undefined)));
  for (const { name, stop } of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      say(`Could not stop ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  say('Stopped.');
  process.exit(code);
}

main().catch((error: unknown) => {
  say(`\nCould not start Cashless Street: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1, 'start-up failed');
});
