import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cashless/infra';
import { FUZZ_BANK_SECRETS, formatReport, passed, runFuzzCampaign } from './fuzz-campaign';
import { routeCoverage, scanControllerRoutes } from './fuzz-routes';
import { startPlatform } from './platform';
import { machineLine, writeBenchmarkSection } from './report';

/**
 * `npm run fuzz`: the bad-input campaign (issue 9) against the whole platform, started as
 * `npm start` starts it on its own ports, broker and embedded PostgreSQL, with rate limits off and
 * every bank feed configured. `--check-routes` only checks that the route list covers every
 * controller route (what the test runs first). Writes its section of docs/benchmarks.md.
 * FUZZ_SEED replays a run; FUZZ_PER_PAIR sets the inputs per (route, input class) pair.
 */
const ports = { basePort: 19130, kafkaPort: 19978, postgresPort: 54434 };

async function main(): Promise<number> {
  const root = repoRoot();
  const coverage = routeCoverage(scanControllerRoutes(root));
  if (process.argv.includes('--check-routes')) {
    process.stdout.write(`${JSON.stringify(coverage)}\n`);
    return coverage.uncovered.length === 0 && coverage.stale.length === 0 ? 0 : 1;
  }
  if (coverage.uncovered.length || coverage.stale.length) {
    process.stderr.write(
      `The fuzz route list (bench/fuzz-routes.ts) is out of date:\n` +
        coverage.uncovered.map((r) => `  not covered: ${r.method} /${r.path} (${r.file})\n`).join('') +
        coverage.stale.map((r) => `  no longer declared: ${r}\n`).join(''),
    );
    return 1;
  }
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const perPair = Number(process.env.FUZZ_PER_PAIR ?? 15);
  const dataDir = mkdtempSync(join(tmpdir(), 'cashless-fuzz-'));
  process.stderr.write(`Starting the platform (base port ${ports.basePort}, embedded PostgreSQL, own Kafka)…\n`);
  const platform = startPlatform(dataDir, ports, { ...FUZZ_BANK_SECRETS });
  try {
    await platform.ready;
    const report = await runFuzzCampaign({
      gateway: `http://127.0.0.1:${ports.basePort}`,
      postgresUrl: `postgres://postgres:postgres@127.0.0.1:${ports.postgresPort}`,
      seed,
      perPair,
      concurrency: 8,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const body = formatReport(report, machineLine());
    process.stdout.write(`${body}\n`);
    writeBenchmarkSection(root, 'fuzz', `## Bad-input campaign (fuzz)\n\n${body}`);
    for (const f of report.failures)
      process.stderr.write(`FAIL ${f.route} ${f.klass} ${f.status}: ${f.problem}\n  ${f.request}\n  ← ${f.response}\n`);
    return passed(report) ? 0 : 1;
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
