import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { platformTopics } from '@cashless/contracts';
import { withDatabase } from '@cashless/database';
import { createKafka, ensureTopics } from '@cashless/messaging';
import { isPortOpen } from '@cashless/infra';
import { SERVICES, SERVICE_NODE_FLAGS, SERVICE_RUNTIME_ENV, databaseNameFor } from './services';
import type { ServiceSpec } from './services';

/**
 * The steps `npm start` takes, as pieces: the start script runs them once and stops everything
 * when a service dies; the supervised harness of benchmarks and fault tests runs the same pieces
 * and restarts what it killed. One copy of each step, so both start the platform the same way.
 */
export interface PlatformAddresses {
  /** The gateway's port; the services follow (see ServiceSpec.portOffset). */
  basePort: number;
  /** PostgreSQL server URL (maintenance database); each service gets its own database on it. */
  postgresUrl: string;
  kafkaBrokers: string[];
}

export function serviceUrl(basePort: number, spec: ServiceSpec): string {
  return `http://127.0.0.1:${basePort + spec.portOffset}`;
}

export function serviceSpec(name: string): ServiceSpec {
  const spec = SERVICES.find((s) => s.name === name);
  if (!spec) throw new Error(`no service named ${name}`);
  return spec;
}

/** The environment a service process runs with: its port, its database, Kafka, its peers' URLs. */
export function serviceEnv(
  spec: ServiceSpec,
  at: PlatformAddresses,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    NODE_ENV: base.NODE_ENV ?? 'development',
    PORT: String(at.basePort + spec.portOffset),
    KAFKA_BROKERS: at.kafkaBrokers.join(','),
    DATABASE_URL: spec.ownsDatabase ? withDatabase(at.postgresUrl, databaseNameFor(spec.name)) : undefined,
    ...Object.fromEntries(
      SERVICES.map((s) => [`${s.name.toUpperCase().replace('-', '_')}_URL`, serviceUrl(at.basePort, s)]),
    ),
    GATEWAY_URL: serviceUrl(at.basePort, serviceSpec('gateway')),
  };
}

/** Creates the platform's topics (auto-creation is off); returns the ones it created. */
export function createPlatformTopics(brokers: string[], clientId: string): Promise<string[]> {
  return ensureTopics(createKafka({ brokers, clientId }), platformTopics());
}

export async function assertPortsFree(basePort: number): Promise<void> {
  for (const spec of SERVICES) {
    const port = basePort + spec.portOffset;
    if (await isPortOpen(port)) {
      throw new Error(
        `Port ${port} (for ${spec.name}) is already in use. Stop what uses it, or set CASHLESS_PORT_BASE to another base port.`,
      );
    }
  }
}

/**
 * Runs a one-shot command of a service (`migrate`, `seed-demo`) to completion; resolves to its
 * noteworthy log lines (warnings and worse) for the person watching.
 */
export function runServiceCommand(
  root: string,
  spec: ServiceSpec,
  command: 'migrate' | 'seed-demo',
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
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
      resolve(noteworthy(output));
    });
  });
}

/** Migrates every service's database, then (unless `demoData` is false) seeds demo data into empty ones. */
export async function prepareDatabases(
  root: string,
  envOf: (spec: ServiceSpec) => NodeJS.ProcessEnv,
  demoData: boolean,
  say: (line: string) => void,
): Promise<void> {
  const owners = SERVICES.filter((s) => s.ownsDatabase);
  const report = (spec: ServiceSpec) => (lines: string[]) => {
    for (const line of lines) say(`  ${spec.name}: ${line}`);
  };
  await Promise.all(owners.map((s) => runServiceCommand(root, s, 'migrate', envOf(s)).then(report(s))));
  if (demoData) await Promise.all(owners.map((s) => runServiceCommand(root, s, 'seed-demo', envOf(s)).then(report(s))));
}

/** Starts one service process with its output appended to `logFile`. */
export function spawnService(root: string, spec: ServiceSpec, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, spec.entry)], {
    env: { ...SERVICE_RUNTIME_ENV, ...env },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  return child;
}

/**
 * Waits until every named service answers `GET /health` with 200. `stop()` returning true ends
 * the wait early (the caller is shutting down). The error names each service still failing.
 */
export async function waitHealthy(
  basePort: number,
  names: readonly string[],
  timeoutMs: number,
  stop: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(names);
  let last = new Map<string, string>();
  while (pending.size > 0 && !stop()) {
    if (Date.now() > deadline) {
      const detail = [...pending].map((n) => `  ${n}: ${last.get(n) ?? 'no answer'}`).join('\n');
      throw new Error(`Services not healthy within ${timeoutMs} ms:\n${detail}`);
    }
    const next = new Map<string, string>();
    await Promise.all(
      [...pending].map(async (name) => {
        try {
          const response = await fetch(`${serviceUrl(basePort, serviceSpec(name))}/health`, {
            signal: AbortSignal.timeout(2000),
          });
          if (response.ok) pending.delete(name);
          else next.set(name, `${response.status} ${await response.text()}`);
        } catch (error) {
          next.set(name, error instanceof Error ? error.message : String(error));
        }
      }),
    );
    last = next;
    if (pending.size > 0) await sleep(300);
  }
}

/** Warnings of a one-shot step (JSON log lines at level ≥ warn), for the person watching. */
export function noteworthy(output: string): string[] {
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

export function tail(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}
