import { createDataSource, redactUrl, withDatabase } from '@cashless/database';
import { analyticsDatabase } from '../../apps/analytics/src/database';
import { ProjectionStore } from '../../apps/analytics/src/projections/projection-store';
import { rebuildProjections } from '../../apps/analytics/src/projections/rebuild';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './cli';

export const ANALYTICS_USAGE = `Usage:
  cashless analytics rebuild [--database-url URL] [--late-seconds N] [--json]
      Recompute every analytics projection (daily payments, merchant activity, shopper
      sketches) from the stored facts, with the same code the consumers run, in one
      transaction. The database is --database-url, else DATABASE_URL, else the local server's
      cashless_analytics database. --late-seconds defaults to ANALYTICS_LATE_SECONDS or 60.

Exit codes: 0 rebuilt, 1 the database could not be read or written, 2 bad arguments.`;

export const LOCAL_ANALYTICS_URL = withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'cashless_analytics');

/** The analytics database a command works on: --database-url, DATABASE_URL, or the local one. */
export function analyticsUrl(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = option ?? env.DATABASE_URL ?? LOCAL_ANALYTICS_URL;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--database-url: must be a postgres:// URL');
  return url;
}

function lateSeconds(option: string | undefined, env: NodeJS.ProcessEnv): number {
  const text = option ?? env.ANALYTICS_LATE_SECONDS ?? '60';
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1)
    throw new UsageError(`--late-seconds: a whole number of seconds ≥ 1, got "${text}"`);
  return Number(text);
}

/** `cashless analytics rebuild`: the projections recomputed from the facts. */
export async function runAnalytics(argv: readonly string[], io: CliIo, env = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${ANALYTICS_USAGE}\n`);
    return 0;
  }
  if (sub !== 'rebuild') {
    throw new UsageError(
      sub === undefined ? 'analytics needs a command (rebuild)' : `unknown analytics command "${sub}"`,
    );
  }
  const args = parseArgs(rest, { values: ['database-url', 'late-seconds'], flags: ['json'] });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const url = analyticsUrl(args.values.get('database-url'), env);
  const store = new ProjectionStore({ lateSeconds: lateSeconds(args.values.get('late-seconds'), env) });
  const dataSource = createDataSource({
    ...analyticsDatabase,
    url,
    applicationName: 'cashless-analytics-rebuild',
    poolSize: 2,
  });
  try {
    await dataSource.initialize();
    const result = await rebuildProjections(dataSource, store);
    io.stdout(
      args.flags.has('json')
        ? `${JSON.stringify(result, null, 2)}\n`
        : `rebuilt from ${result.payments} payments of ${result.merchants} merchants: ${result.slices} street-days, ` +
            `${result.merchantMonths} merchant-months in ${result.seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    io.stderr(
      `cashless: could not rebuild the analytics at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
