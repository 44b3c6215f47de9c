import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cashless/infra';
import { machineLine, writeBenchmarkSection } from './report';
import { formatFindings, formatSessionStates, formatUsage, latencyLine, runSystemBench } from './system-run';

/**
 * `npm run bench:system`: the whole platform on this machine (embedded PostgreSQL, a local Kafka
 * broker, every service as its own process), shops registered and approved, the sandbox bank's
 * open-loop load paying dynamic QRs (intents created first) and static boards across the shops
 * for BENCH_DURATION_S. Reports notifications/s accepted, payments/s through to the ledger and
 * analytics, notification → ledger posted and → shop-owner notice latencies, CPU and peak RSS
 * per process, and a same-run `pgbench -N` on the same server; then audits the books.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 100);
const DYNAMIC_SHARE = Number(process.env.BENCH_DYNAMIC_SHARE ?? 0.3);
const PGBENCH_S = Number(process.env.BENCH_PGBENCH_S ?? 15);
const ports = {
  basePort: Number(process.env.BENCH_PORT_BASE ?? 19280),
  kafkaPort: Number(process.env.BENCH_KAFKA_PORT ?? 19972),
  postgresPort: Number(process.env.BENCH_POSTGRES_PORT ?? 54449),
};
const log = (m: string) => process.stderr.write(`${m}\n`);

async function main(): Promise<boolean> {
  const loadBefore = loadavg()[0];
  const dataDir = mkdtempSync(join(tmpdir(), 'cashless-bench-system-'));
  try {
    const r = await runSystemBench({
      ...ports,
      dataDir,
      merchants: MERCHANTS,
      load: { ratePerSecond: RATE, durationSeconds: DURATION_S, dynamicShare: DYNAMIC_SHARE, maxInFlight: 512 },
      pgbenchSeconds: PGBENCH_S,
      log,
    });
    const { load } = r.outcome;
    const mb = (b: number) => b / 2 ** 20;
    const maxRss = Math.max(
      ...r.outcome.usage.filter((u) => !['kafka', 'postgresql'].includes(u.name)).map((u) => mb(u.peakRssBytes)),
    );
    const settleS = r.outcome.settledAt ? ((r.outcome.settledAt - r.outcome.endedAt) / 1000).toFixed(1) : 'never';
    const body = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}; 1-minute load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after the run (the machine is shared). Command: \`BENCH_RATE=${RATE} ` +
        `BENCH_DURATION_S=${DURATION_S} BENCH_MERCHANTS=${MERCHANTS} BENCH_DYNAMIC_SHARE=${DYNAMIC_SHARE} npm run bench:system\`. ` +
        'The whole platform (six services, a Kafka broker, an embedded PostgreSQL, started by the supervised harness ' +
        '`tools/platform-supervisor.ts` with the same steps as `npm start`) and the load generator share the machine.',
      '',
      `Load: the sandbox bank's open-loop generator at ${RATE}/s for ${DURATION_S} s over ${MERCHANTS} shops, ` +
        `${Math.round(DYNAMIC_SHARE * 100)} % paying a fresh dynamic QR (its intent created through the gateway first), ` +
        `the rest the shops' static boards with an amount typed; every shop's live feed (SSE) open.`,
      '',
      '| what | figure |',
      '|---|---:|',
      `| notifications sent / accepted / errors / skipped (in-flight bound) | ${load.sent} / ${load.accepted} / ${load.errors} / ${load.skipped} |`,
      `| notifications accepted per second (acknowledged 200 as new) | ${r.acceptedPerSecond.toFixed(0)}/s |`,
      `| payments per second accepted → ledger posted → visible in analytics (from the load's start until the last one is visible; settled ${settleS} s after the load) | ${r.endToEndPerSecond.toFixed(0)}/s |`,
      `| peak 10 s rate: ledger postings / analytics facts | ${r.peakPostedPerSecond.toFixed(0)}/s / ${r.peakVisiblePerSecond.toFixed(0)}/s |`,
      `| acknowledgement (bank → 200) | p50 ${load.latencyMs?.p50.toFixed(0) ?? '–'} ms, p95 ${load.latencyMs?.p95.toFixed(0) ?? '–'} ms, p99 ${load.latencyMs?.p99.toFixed(0) ?? '–'} ms |`,
      `| notification received → ledger posted (payment \`received_at\` → ledger \`posted_at\`) | ${latencyLine(r.audit.postingLatenciesMs)} |`,
      `| notification sent → shop-owner notice on the live feed | ${latencyLine([...r.outcome.noticeLatenciesMs].sort((a, b) => a - b))} |`,
      r.pgbench
        ? `| baseline: \`pgbench -N\` on the same server (${r.pgbench.clients} clients, scale ${r.pgbench.scale}, ${r.pgbench.seconds} s, after the load) | ${r.pgbench.tps.toFixed(0)} transactions/s |`
        : '| baseline: pgbench | skipped |',
      r.pgbench
        ? `| ratio: end-to-end payments/s ÷ pgbench -N transactions/s | ${(r.endToEndPerSecond / r.pgbench.tps).toFixed(3)} |`
        : '',
      '',
      'CPU and memory per process over the load (sampled from /proc every 0.5 s; PostgreSQL is the postmaster and its backends summed, shared buffers counted in each):',
      '',
      formatUsage(r.outcome.usage),
      '',
      'Where the time goes: the busiest PostgreSQL session states during the load (pg_stat_activity every 100 ms; ' +
        '`idle in transaction` + `Client:ClientRead` is a transaction waiting for its service to send the next ' +
        'statement; `Lock:object` on COMMIT is the commit-time lock PostgreSQL takes for NOTIFY, which the live feed ' +
        'uses, and which lets one notifying transaction commit at a time):',
      '',
      formatSessionStates(r.outcome.sessionStates),
      '',
      'After the run:',
      '',
      formatFindings(r.audit.findings),
      '',
      `Goals (issue 9): ≥ 2,000 payments/s sustained, p99 notification → ledger posted < 1 s, every service under 200 MB RSS. ` +
        `Measured here: ${r.endToEndPerSecond.toFixed(0)} payments/s end to end, posting p99 from the line above, ` +
        `largest service peak RSS ${maxRss.toFixed(0)} MB.`,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n');
    process.stdout.write(`${body}\n`);
    writeBenchmarkSection(repoRoot(), 'system', `## Whole system under load (bench:system)\n\n${body}`);
    return r.audit.ok && r.outcome.settledAt > 0;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    log(`bench:system failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
