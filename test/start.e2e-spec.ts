import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

/**
 * `npm start` as a user runs it, on a machine with no configured infrastructure: it must start
 * its own Kafka broker and an embedded PostgreSQL, bring every service up healthy, and on
 * SIGTERM leave no process behind. Twice in a row, the second time on the existing data.
 */
const basePort = 18180;
const services = ['gateway', 'merchant', 'payment', 'ledger', 'analytics', 'bank-sim'];
const kafkaPort = 19392;
const postgresPort = 54339;
const dataDir = mkdtempSync(join(tmpdir(), 'cashless-start-'));
const launched: ChildProcess[] = [];

function startPlatform(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CASHLESS_DATA_DIR: dataDir,
    CASHLESS_PORT_BASE: String(basePort),
    CASHLESS_EMBEDDED_POSTGRES: '1',
    CASHLESS_EMBEDDED_POSTGRES_PORT: String(postgresPort),
    KAFKA_PORT: String(kafkaPort),
  };
  delete env.KAFKA_BROKERS;
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/tools/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => {
      if (output.includes('Cashless Street is running.')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code}):\n${output}`)));
  });
  return { child, output: () => output, ready };
}

function processesUsing(dir: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n');
  return lines.filter((l) => l.includes(dir) && !l.includes('ps -eo'));
}

async function stopAndCheck(run: ReturnType<typeof startPlatform>): Promise<void> {
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.kill('SIGTERM');
  // A second signal while stopping (an impatient Ctrl-C) must not abandon the broker or database.
  setTimeout(() => run.child.kill('SIGINT'), 200);
  expect(await exited).toBe(0);
  expect(run.output()).toContain('Stopped.');
  expect(processesUsing(dataDir)).toEqual([]);
  for (const port of [basePort, basePort + 1, basePort + 5, kafkaPort, postgresPort]) {
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  }
}

describe('npm start', () => {
  afterAll(async () => {
    // A failed assertion must not leave a platform running: stop it the way a user would.
    for (const child of launched.filter((c) => c.exitCode === null && c.signalCode === null)) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    for (const line of processesUsing(dataDir)) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([['first run (fresh data)'], ['second run (existing data)']])(
    '%s: comes up healthy with its own Kafka and embedded PostgreSQL, and stops cleanly',
    async () => {
      const run = startPlatform();
      await run.ready;
      expect(run.output()).toContain('Kafka: started');
      expect(run.output()).toContain('PostgreSQL: embedded');
      for (const [i, name] of services.entries()) {
        const port = name === 'gateway' ? basePort : basePort + i;
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: 'ok', service: name });
      }
      const metrics = await (await fetch(`http://127.0.0.1:${basePort + 2}/metrics`)).text();
      expect(metrics).toContain('http_request_duration_seconds');
      await stopAndCheck(run);
    },
  );
});
