import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FUZZ_BANK_SECRETS, formatReport, runFuzzCampaign } from '../bench/fuzz-campaign';
import type { FuzzReport } from '../bench/fuzz-campaign';
import { PUBLIC_ROUTES } from '../bench/fuzz-routes';
import { NO_RATE_LIMITS } from '../bench/platform';
import { killProcessesUsing, launchPlatform } from '../tools/platform-process';
import type { PlatformProcess } from '../tools/platform-process';

/**
 * The short form of `npm run fuzz` (issue 9): one input of every class for every public route and
 * every bank feed, through the gateway of a whole platform on its own ports, broker and database.
 * Never a 5xx, no stack trace, path or SQL error in any answer, every 4xx in the error shape,
 * forged and replayed notifications refused, and no half-written records in any database.
 */
const basePort = 19080;
const kafkaPort = 19980;
const postgresPort = 54429;
const dataDir = mkdtempSync(join(tmpdir(), 'cashless-fuzz-'));
let platform: PlatformProcess | undefined;

describe('bad-input campaign (short)', () => {
  beforeAll(async () => {
    platform = launchPlatform({
      dataDir,
      basePort,
      kafkaPort,
      postgresPort,
      env: {
        ...FUZZ_BANK_SECRETS,
        ...NO_RATE_LIMITS,
      },
    });
    await platform.ready;
  });

  afterAll(async () => {
    await platform?.stop();
    killProcessesUsing(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the route list covers every controller route (compiled Nest metadata)', () => {
    const run = spawnSync(process.execPath, ['dist/bench/fuzz.js', '--check-routes'], { encoding: 'utf8' });
    const coverage = JSON.parse(run.stdout) as { scanned: number; uncovered: unknown[]; stale: string[] };
    expect(coverage.uncovered).toEqual([]);
    expect(coverage.stale).toEqual([]);
    expect(coverage.scanned).toBeGreaterThanOrEqual(PUBLIC_ROUTES.length);
    expect(run.status).toBe(0);
  });

  it('every route and bank feed: no 5xx, no leak, error shape, signatures hold, no half-records', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 9);
    const report: FuzzReport = await runFuzzCampaign({
      gateway: `http://127.0.0.1:${basePort}`,
      postgresUrl: `postgres://postgres:postgres@127.0.0.1:${postgresPort}`,
      seed,
      perPair: 1,
      concurrency: 6,
    });
    if (report.failures.length) process.stdout.write(`${formatReport(report, 'test')}\n`);
    expect(report.failures).toEqual([]);
    expect(report.serverErrors).toBe(0);
    expect(report.leaks).toBe(0);
    expect(report.shapeViolations).toBe(0);
    expect(report.invariants.filter((i) => !i.ok)).toEqual([]);
    // It really ran: every route was tried, and the bank feeds saw accepted, duplicate and refused inputs.
    expect(report.perRoute.size).toBe(PUBLIC_ROUTES.length - 1 + 4);
    expect(report.total).toBeGreaterThan(400);
    expect(report.bank.accepted).toBeGreaterThan(0);
    expect(report.bank.duplicates).toBeGreaterThan(0);
    expect(report.bank.unauthorized).toBeGreaterThan(0);
    expect(report.statuses.get(413)).toBeGreaterThan(0);
  });
});
