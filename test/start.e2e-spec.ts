import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { killProcessesUsing, launchPlatform, processesUsing } from '../tools/platform-process';
import type { PlatformProcess } from '../tools/platform-process';

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
const launched: PlatformProcess[] = [];

/** With the demo data, as a user's `npm start` runs. */
function startPlatform(): PlatformProcess {
  const run = launchPlatform({ dataDir, basePort, kafkaPort, postgresPort, demoData: true });
  launched.push(run);
  return run;
}

async function stopAndCheck(run: PlatformProcess): Promise<void> {
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
    for (const run of launched) await run.stop();
    killProcessesUsing(dataDir);
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
