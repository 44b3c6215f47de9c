import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { killProcessesUsing, processesUsing } from '../tools/platform-process';
import { SERVICE_NAMES } from '../tools/platform-supervisor';
import { formatChaosTable, runChaos } from '../bench/chaos-run';
import { formatFindings, runSystemBench } from '../bench/system-run';

/**
 * The short versions of `npm run bench:system` and `npm run chaos`: the whole platform (own
 * embedded PostgreSQL, own Kafka broker, every service as its own process) under ~10 s of the
 * sandbox bank's load, then the same audit; the second time with one fault of each kind during
 * the load (services SIGKILLed and restarted, Kafka stopped and started, PostgreSQL restarted,
 * notifications duplicated and reordered). One platform at a time, on this file's own ports.
 */
const ports = { basePort: 19180, kafkaPort: 19976, postgresPort: 54439 };
const dirs: string[] = [];
const say = (m: string) => process.stdout.write(`${m}\n`);

function dataDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cashless-${name}-`));
  dirs.push(dir);
  return dir;
}

describe('the whole system under load, and under faults', () => {
  afterAll(() => {
    for (const dir of dirs) {
      killProcessesUsing(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('system: every accepted payment is posted once, visible in analytics, announced; books balance; measured', async () => {
    const dir = dataDir('system-e2e');
    const r = await runSystemBench({
      ...ports,
      dataDir: dir,
      merchants: 8,
      load: { ratePerSecond: 40, durationSeconds: 10, dynamicShare: 0.3, maxInFlight: 256 },
      pgbenchSeconds: 2,
    });
    say(formatFindings(r.audit.findings));
    expect(r.audit.findings.filter((f) => !f.ok)).toEqual([]);
    expect(r.outcome.settledAt).toBeGreaterThan(0);
    const { load } = r.outcome;
    expect(load.accepted).toBeGreaterThan(200);
    expect(load.intents.created).toBeGreaterThan(0); // dynamic QRs were paid too
    expect(r.audit.acknowledged.size).toBe(load.accepted);
    expect(r.audit.lost).toEqual([]);
    expect(r.audit.doubled).toEqual([]);
    expect(r.audit.totals.debits).toBe(r.audit.totals.credits);
    expect(r.audit.totals.analytics).toBe(r.audit.totals.payments);
    expect(r.audit.postingLatenciesMs).toHaveLength(r.audit.totals.payments);
    expect(r.outcome.noticeLatenciesMs.length).toBeGreaterThan(load.accepted / 2);
    expect(r.endToEndPerSecond).toBeGreaterThan(0);
    // Every process measured: the six services, the broker, the database.
    expect(r.outcome.usage.map((u) => u.name).sort()).toEqual([...SERVICE_NAMES, 'kafka', 'postgresql'].sort());
    for (const u of r.outcome.usage) expect(u.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(r.outcome.usage.find((u) => u.name === 'payment')!.cpuCores).toBeGreaterThan(0);
    expect(r.pgbench?.tps).toBeGreaterThan(0);
    // Where the time went: the payment database's sessions were seen at work.
    expect(r.outcome.sessionStates.some((s) => s.database === 'cashless_payment')).toBe(true);
    expect(processesUsing(dir)).toEqual([]);
  }, 240_000);

  it('chaos: nothing acknowledged is lost, nothing doubled, books balance, analytics equals a rebuild', async () => {
    const dir = dataDir('chaos-e2e');
    const r = await runChaos({
      ...ports,
      dataDir: dir,
      merchants: 8,
      ratePerSecond: 40,
      durationSeconds: 10,
      kill: ['payment', 'ledger'],
      kafka: true,
      postgres: true,
      kafkaDownMs: 3_000,
      gapMs: 2_000,
      duplicateShare: 0.1,
      reorderWindow: 10,
    });
    say(formatChaosTable(r.rows));
    say(formatFindings(r.audit.findings));
    expect(r.audit.findings.filter((f) => !f.ok)).toEqual([]);
    expect(r.faults.map((f) => f.fault)).toEqual([
      'SIGKILL payment, restart',
      'SIGKILL ledger, restart',
      'Kafka stopped 3 s, started',
      'PostgreSQL restarted',
    ]);
    for (const row of r.rows) {
      expect({ fault: row.fault, lost: row.lost, doubled: row.doubled }).toEqual({
        fault: row.fault,
        lost: 0,
        doubled: 0,
      });
      expect(row.sent).toBeGreaterThan(0);
      expect(row.posted).toBeGreaterThanOrEqual(row.acknowledged);
    }
    // A killed service answers again within seconds, not after its dead consumer's Kafka session.
    for (const f of r.faults.filter((x) => x.fault.startsWith('SIGKILL'))) expect(f.recoveryMs).toBeLessThan(20_000);
    expect(r.outcome.load.resent).toBeGreaterThan(0);
    expect(r.outcome.load.duplicates).toBeGreaterThan(0); // answered as duplicates, not taken twice
    expect(r.audit.acknowledged.size).toBeGreaterThan(200);
    expect(r.ok).toBe(true);
    expect(processesUsing(dir)).toEqual([]);
  }, 240_000);
});
