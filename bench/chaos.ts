import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cashless/infra';
import { SERVICE_NAMES } from '../tools/platform-supervisor';
import { formatChaosTable, runChaos } from './chaos-run';
import { machineLine, writeBenchmarkSection } from './report';
import { formatFindings } from './system-run';

/**
 * `npm run chaos`: the system load while, in turn, each service is SIGKILLed and restarted, the
 * Kafka broker is stopped and started, and PostgreSQL is restarted; the sandbox bank's feed
 * duplicates and reorders notifications throughout. Prints what each fault did to the
 * notifications sent meanwhile and the audit; exits 1 on any loss, doubling or failed check.
 */
const RATE = Number(process.env.CHAOS_RATE ?? 60);
const GAP_S = Number(process.env.CHAOS_GAP_S ?? 6);
const MERCHANTS = Number(process.env.CHAOS_MERCHANTS ?? 40);
const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const dataDir = mkdtempSync(join(tmpdir(), 'cashless-chaos-'));
  try {
    const r = await runChaos({
      dataDir,
      basePort: Number(process.env.CHAOS_PORT_BASE ?? 19280),
      kafkaPort: Number(process.env.CHAOS_KAFKA_PORT ?? 19972),
      postgresPort: Number(process.env.CHAOS_POSTGRES_PORT ?? 54449),
      merchants: MERCHANTS,
      ratePerSecond: RATE,
      durationSeconds: Number(process.env.BENCH_DURATION_S ?? 60),
      kill: SERVICE_NAMES,
      kafka: true,
      postgres: true,
      kafkaDownMs: 5_000,
      gapMs: GAP_S * 1000,
      duplicateShare: 0.1,
      reorderWindow: 20,
      log,
    });
    const { load } = r.outcome;
    const body = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the run (the machine is shared). Command: \`CHAOS_RATE=${RATE} CHAOS_GAP_S=${GAP_S} ` +
        `CHAOS_MERCHANTS=${MERCHANTS} npm run chaos\`. Load: ${RATE}/s over ${MERCHANTS} shops (30 % dynamic QRs), ` +
        `the feed retrying what got no answer or a 5xx (7 tries over about 16 s); a fault every ${GAP_S} s. ` +
        `Sent ${load.sent} notifications (+${load.resent} deliberate second copies); answered: ${load.accepted} accepted, ` +
        `${load.duplicates} duplicate, ${load.rejected} rejected, ${load.errors - load.intents.failed} without an answer after every retry; ` +
        `${load.skipped} skipped (in-flight bound); dynamic intents created ${load.intents.created}, failed ${load.intents.failed} ` +
        '(no QR to pay while the payment service, the merchant service or the gateway was down).',
      '',
      formatChaosTable(r.rows),
      '',
      'A notification counts under the fault during (or after) which it was first sent. Lost: acknowledged but not in ' +
        'the ledger. Doubled: more than one ledger receipt for one notification. Posted may exceed acknowledged: ' +
        'a notification stored whose answer a fault cut off is still posted (and answered "duplicate" on a retry).',
      '',
      'After the run:',
      '',
      formatFindings(r.audit.findings),
    ].join('\n');
    process.stdout.write(`${body}\n`);
    writeBenchmarkSection(repoRoot(), 'chaos', `## Faults under load (chaos)\n\n${body}`);
    if (!r.ok) log('chaos: FAILED (loss, doubling or a failed check above)');
    return r.ok;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    log(`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
