import { randomUUID } from 'node:crypto';
import { createDataSource, redactUrl } from '@cashless/database';
import { Topics } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { createKafka, producerConfig } from '@cashless/messaging';
import { DEV_PAYER_SALT } from '../../apps/analytics/src/analytics.config';
import { analyticsDatabase } from '../../apps/analytics/src/database';
import { analyticsCatalog } from '../../apps/analytics/src/events';
import { bulkLoad } from '../../apps/analytics/src/history/bulk-load';
import { merchantHistory, paymentHistory, planHistory } from '../../apps/analytics/src/history/synthetic-history';
import type { HistoryPlan } from '../../apps/analytics/src/history/synthetic-history';
import { isDay } from '../../apps/analytics/src/kpi/calendar';
import { ProjectionStore } from '../../apps/analytics/src/projections/projection-store';
import { analyticsUrl } from './analytics';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './cli';

export const DEMO_USAGE = `Usage:
  cashless demo history [--months N] [--merchants N] [--sink database|kafka] [--seed N]
      [--end YYYY-MM-DD] [--merchant-url URL] [--database-url URL] [--brokers LIST] [--json]
      Generate a synthetic history of the programme (default 12 months, 200 merchants spread
      over the registry's streets): registrations and approvals, payments in opening hours
      with weekday and holiday patterns, a Tết dip, a 92-day campaign with more payments,
      ticket sizes by category, a bank with late notifications now and then. The events are
      the merchant and payment services' own (valid against their catalogs).
      --sink database (default) stores them straight into the analytics facts in batches and
      rebuilds the projections, and records the campaign; fast for millions of payments.
      --sink kafka publishes them to merchant.events.v1 and payment.events.v1 for the running
      analytics service to consume. Streets come from GET <merchant-url>/api/v1/streets
      (MERCHANT_URL, default http://127.0.0.1:8081). Demo data: the shops do not exist in the
      merchant service and the figures are not the pilot's.

Exit codes: 0 loaded, 1 a service or database could not be reached, 2 bad arguments.`;

function count(option: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`--${option}: a whole number from 1 to ${max}, got "${text}"`);
  }
  return Number(text);
}

async function registryStreets(merchantUrl: string): Promise<{ id: string; wardId: string | null }[]> {
  const response = await fetch(new URL('/api/v1/streets', merchantUrl), { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET /api/v1/streets answered ${response.status}`);
  const streets = (await response.json()) as { id: string; ward: { id: string } | null }[];
  return streets.map((s) => ({ id: s.id, wardId: s.ward?.id ?? null }));
}

async function publishAll(brokers: string[], events: Iterable<EventEnvelope>): Promise<number> {
  const producer = createKafka({ brokers, clientId: `cashless-demo-${randomUUID()}` }).producer(producerConfig);
  await producer.connect();
  let sent = 0;
  try {
    let batch: EventEnvelope[] = [];
    const flush = async () => {
      const topicOf = (e: EventEnvelope) =>
        e.type.startsWith('merchant.') ? Topics.merchantEvents : Topics.paymentEvents;
      await producer.sendBatch({
        topicMessages: [Topics.merchantEvents, Topics.paymentEvents].map((topic) => ({
          topic,
          messages: batch.filter((e) => topicOf(e) === topic).map((e) => ({ key: e.key, value: JSON.stringify(e) })),
        })),
      });
      sent += batch.length;
      batch = [];
    };
    for (const event of events) {
      batch.push(analyticsCatalog.validate(event));
      if (batch.length >= 2_000) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await producer.disconnect();
  }
  return sent;
}

/** `cashless demo history`: a synthetic payment history for the city dashboard. */
export async function runDemo(argv: readonly string[], io: CliIo, env = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${DEMO_USAGE}\n`);
    return 0;
  }
  if (sub !== 'history')
    throw new UsageError(sub === undefined ? 'demo needs a command (history)' : `unknown demo command "${sub}"`);
  const args = parseArgs(rest, {
    values: ['months', 'merchants', 'sink', 'seed', 'end', 'merchant-url', 'database-url', 'brokers'],
    flags: ['json'],
  });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const months = count('months', args.values.get('months'), 12, 60);
  const merchants = count('merchants', args.values.get('merchants'), 200, 20_000);
  const seed = count('seed', args.values.get('seed'), 2025, 2 ** 31);
  const sink = args.values.get('sink') ?? 'database';
  if (sink !== 'database' && sink !== 'kafka') throw new UsageError(`--sink: database or kafka, got "${sink}"`);
  const endDay = args.values.get('end');
  if (endDay !== undefined && !isDay(endDay)) throw new UsageError(`--end: a day written YYYY-MM-DD, got "${endDay}"`);
  const merchantUrl = args.values.get('merchant-url') ?? env.MERCHANT_URL ?? 'http://127.0.0.1:8081';
  const databaseUrl = sink === 'database' ? analyticsUrl(args.values.get('database-url'), env) : undefined;
  const brokers = (args.values.get('brokers') ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').filter(Boolean);

  let plan: HistoryPlan;
  try {
    plan = planHistory({ months, merchants, streets: await registryStreets(merchantUrl), endDay, seed });
  } catch (error) {
    io.stderr(
      `cashless: could not read the street registry at ${merchantUrl}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const started = performance.now();
  const summary: Record<string, unknown> = { sink, from: plan.from, to: plan.to, campaign: plan.campaign, merchants };
  try {
    if (sink === 'kafka') {
      summary.events = await publishAll(
        brokers,
        (function* () {
          yield* merchantHistory(plan);
          yield* paymentHistory(plan);
        })(),
      );
    } else {
      const dataSource = createDataSource({
        ...analyticsDatabase,
        url: databaseUrl!,
        applicationName: 'cashless-demo-history',
        poolSize: 2,
      });
      await dataSource.initialize();
      try {
        const salt = env.ANALYTICS_PAYER_SALT ?? DEV_PAYER_SALT;
        const store = new ProjectionStore({ lateSeconds: Number(env.ANALYTICS_LATE_SECONDS ?? 60) });
        const loaded = await bulkLoad(dataSource, store, merchantHistory(plan), paymentHistory(plan), salt);
        await dataSource.query(
          `INSERT INTO campaign (id, name, start_date, end_date, months_before, created_by)
           SELECT $1, $2, $3, $4, 3, 'demo' WHERE NOT EXISTS (SELECT 1 FROM campaign WHERE name = $2 AND start_date = $3)`,
          [randomUUID(), 'Chiến dịch mẫu 92 ngày (dữ liệu giả lập)', plan.campaign.from, plan.campaign.to],
        );
        Object.assign(summary, { payments: loaded.payments, rebuild: loaded.rebuild });
      } finally {
        await dataSource.destroy();
      }
    }
  } catch (error) {
    const where = sink === 'kafka' ? brokers.join(',') : redactUrl(databaseUrl!);
    io.stderr(
      `cashless: could not load the history into ${where}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  summary.seconds = Math.round((performance.now() - started) / 100) / 10;
  io.stdout(
    args.flags.has('json')
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `${sink === 'kafka' ? `published ${String(summary.events)} events` : `loaded ${String(summary.payments)} payments`} ` +
          `of ${merchants} synthetic merchants, ${plan.from} → ${plan.to} (campaign ${plan.campaign.from} → ${plan.campaign.to}) ` +
          `in ${String(summary.seconds)} s\n`,
  );
  return 0;
}
