import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { platformTopics } from '@cashless/contracts';
import { withDatabase } from '@cashless/database';
import { createKafka, ensureTopics } from '@cashless/messaging';
import { dataDir, isPortOpen, repoRoot, resolveKafka, resolvePostgres, stopProcess } from '@cashless/infra';
import { SERVICES, ServiceSpec, databaseNameFor } from './services';

/**
 * `npm start`: brings up PostgreSQL and Kafka (reusing configured or running ones), migrates
 * every service's database, starts each service as its own process, waits until all are
 * healthy and prints the addresses. Ctrl-C / SIGTERM stops everything it started.
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

  const created = await ensureTopics(
    createKafka({ brokers: kafka.brokers, clientId: 'cashless-start' }),
    platformTopics(),
  );
  if (created.length) say(`Created topics: ${created.join(', ')}`);

  await assertPortsFree();
  const env = (spec: ServiceSpec): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    PORT: String(basePort + spec.portOffset),
    KAFKA_BROKERS: kafka.brokers.join(','),
    DATABASE_URL: spec.ownsDatabase ? withDatabase(postgres.serverUrl, databaseNameFor(spec.name)) : undefined,
    ...Object.fromEntries(SERVICES.map((s) => [`${s.name.toUpperCase().replace('-', '_')}_URL`, urlOf(s)])),
    GATEWAY_URL: urlOf(SERVICES.find((s) => s.name === 'gateway')!),
  });

  // Migrations: one-shot, per service, before any service starts; then demo data where the
  // database has none yet (events it writes wait in the outbox until the services run).
  const owners = SERVICES.filter((s) => s.ownsDatabase);
  await Promise.all(owners.map((s) => runOnce(s, 'migrate', env(s))));
  if (process.env.CASHLESS_DEMO_DATA !== '0') await Promise.all(owners.map((s) => runOnce(s, 'seed-demo', env(s))));
  if (shuttingDown) return;

  for (const spec of SERVICES) startService(spec, env(spec));
  await waitHealthy();
  if (shuttingDown) return;

  say('');
  say('Cashless Street is running.');
  say(`  Public origin (gateway):   ${urlOf(SERVICES.find((s) => s.name === 'gateway')!)}`);
  for (const spec of SERVICES.filter((s) => s.name !== 'gateway')) say(`  ${spec.name.padEnd(10)} ${urlOf(spec)}`);
  say(`  Logs: ${logsDir}`);
  say('Press Ctrl-C to stop everything.');
}

function urlOf(spec: ServiceSpec): string {
  return `http://127.0.0.1:${basePort + spec.portOffset}`;
}

async function assertPortsFree(): Promise<void> {
  for (const spec of SERVICES) {
    const port = basePort + spec.portOffset;
    if (await isPortOpen(port)) {
      throw new Error(
        `Port ${port} (for ${spec.name}) is already in use. Stop what uses it, or set CASHLESS_PORT_BASE to another base port.`,
      );
    }
  }
}

/** Runs a one-shot command of a service (`migrate`, `seed-demo`) to completion. */
function runOnce(spec: ServiceSpec, command: 'migrate' | 'seed-demo', env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, spec.entry), command], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${spec.name} ${command} failed (exit ${code}):\n${output.trim()}`));
      for (const line of noteworthy(output)) say(`  ${spec.name}: ${line}`);
      resolve();
    });
  });
}

function startService(spec: ServiceSpec, env: NodeJS.ProcessEnv): void {
  const logFile = join(logsDir, `${spec.name}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(root, spec.entry)], { env, stdio: ['ignore', out, out] });
  closeSync(out);
  children.set(spec.name, child);
  child.once('exit', (code, signal) => {
    children.delete(spec.name);
    if (shuttingDown) return;
    say(`\n${spec.name} stopped unexpectedly (${signal ?? `exit ${code}`}). Last log lines:\n${tail(logFile, 15)}`);
    void shutdown(1, `${spec.name} exited`);
  });
}

async function waitHealthy(): Promise<void> {
  const deadline = Date.now() + healthTimeoutMs;
  const pending = new Set(SERVICES.map((s) => s.name));
  let last = new Map<string, string>();
  while (pending.size > 0 && !shuttingDown) {
    if (Date.now() > deadline) {
      const detail = [...pending].map((n) => `  ${n}: ${last.get(n) ?? 'no answer'}`).join('\n');
      throw new Error(`Services not healthy within ${healthTimeoutMs} ms:\n${detail}`);
    }
    const next = new Map<string, string>();
    await Promise.all(
      SERVICES.filter((s) => pending.has(s.name)).map(async (spec) => {
        try {
          const response = await fetch(`${urlOf(spec)}/health`, { signal: AbortSignal.timeout(2000) });
          if (response.ok) pending.delete(spec.name);
          else next.set(spec.name, `${response.status} ${await response.text()}`);
        } catch (error) {
          next.set(spec.name, error instanceof Error ? error.message : String(error));
        }
      }),
    );
    last = next;
    if (pending.size > 0) await sleep(300);
  }
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

/** Warnings of a one-shot step (JSON log lines at level ≥ warn), for the person watching. */
function noteworthy(output: string): string[] {
  return output.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (typeof entry.level !== 'number' || entry.level < 40) return [];
      const { level: _level, time: _time, service: _service, msg, ...fields } = entry;
      return [`${String(msg)} ${JSON.stringify(fields)}`];
    } catch {
      return [];
    }
  });
}

function tail(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

main().catch((error: unknown) => {
  say(`\nCould not start Cashless Street: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1, 'start-up failed');
});
