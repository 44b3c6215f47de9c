import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cashless/infra';
import { launchPlatform } from '../tools/platform-process';
import type { PlatformProcess } from '../tools/platform-process';
import { percentile, writeBenchmarkSection } from './report';

/**
 * What the platform-level benchmarks share: the platform started as `npm start` starts it (own
 * broker, embedded PostgreSQL, own ports and data folder, no demo data), a closed-loop load
 * driver, and a small client for the gateway.
 */
export interface PlatformPorts {
  basePort: number;
  kafkaPort: number;
  postgresPort: number;
}

export interface Measured {
  count: number;
  errors: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Runs `op` from `clients` concurrent loops for `seconds`; latencies in ms. */
export async function measure(
  clients: number,
  seconds: number,
  op: (i: number) => Promise<boolean>,
): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const ok = await op(next++).catch(() => false);
        if (ok) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    seconds: elapsed,
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/** The gateway's rate limits off: a benchmark is one client address sending far more than any shopper would. */
export const NO_RATE_LIMITS: NodeJS.ProcessEnv = {
  RATE_LIMIT_LOGIN: '0',
  RATE_LIMIT_REGISTER: '0',
  RATE_LIMIT_REPORT: '0',
  RATE_LIMIT_PUBLIC: '0',
  RATE_LIMIT_BANK_FEED: '0',
  RATE_LIMIT_AUTHENTICATED: '0',
};

/** Starts the whole platform in its own data folder, rate limits off; `env` adds or overrides variables. */
export function startPlatform(dataDir: string, ports: PlatformPorts, env: NodeJS.ProcessEnv = {}): PlatformProcess {
  return launchPlatform({ dataDir, ...ports, env: { ...NO_RATE_LIMITS, ...env } });
}

/** A JSON call to the gateway (given up after 30 s). */
export type Gateway = (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers?: Record<string, string>,
) => Promise<Response>;

/** A JSON call to the gateway at `base`. */
export function gatewayClient(base: string): Gateway {
  return (method, path, body, token, headers = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
}

/**
 * Runs a platform benchmark as a program: a fresh data folder, the platform started with `ports`,
 * `run` producing the Markdown body (printed and written to docs/benchmarks.md under `title`), the
 * platform stopped and the folder removed whatever happens; exit code 0 or 1.
 */
export function runPlatformBenchmark(
  name: string,
  title: string,
  ports: PlatformPorts,
  run: () => Promise<string>,
): void {
  const main = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `cashless-bench-${name}-`));
    process.stderr.write(`Starting the platform (base port ${ports.basePort}, embedded PostgreSQL, own Kafka)…\n`);
    const platform = startPlatform(dataDir, ports);
    try {
      await platform.ready;
      const body = await run();
      process.stdout.write(`${body}\n`);
      writeBenchmarkSection(repoRoot(), name, `## ${title} (bench:${name})\n\n${body}`);
    } finally {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `bench:${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
