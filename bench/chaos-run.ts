import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { withDatabase } from '@cashless/database';
import type { RetryPolicy } from '../apps/bank-sim/src/delivery/delivery';
import type { DeliveryRecord } from '../apps/bank-sim/src/load/load-run';
import { PlatformSupervisor, SERVICE_NAMES } from '../tools/platform-supervisor';
import { auditRun, formatFindings, runLoad, startWithShops, supervisedPlatform } from './system-run';
import type { Audit, FaultRecord, LoadOutcome, SystemPorts } from './system-run';

/**
 * Fault injection under load: while the sandbox bank pays shops at a steady rate, each service is
 * killed with SIGKILL and started again, the Kafka broker is stopped and started, PostgreSQL is
 * restarted, and the feed duplicates and reorders notifications throughout. Afterwards the audit
 * of the system run, and a table of what each fault did to the notifications sent meanwhile.
 */
export interface ChaosOptions extends SystemPorts {
  dataDir: string;
  merchants: number;
  ratePerSecond: number;
  /** Load lasts at least this long, and until every fault is done and `settleGapMs` has passed. */
  durationSeconds: number;
  /** Services to SIGKILL and restart, in turn. */
  kill: string[];
  kafka: boolean;
  postgres: boolean;
  /** How long Kafka stays down. */
  kafkaDownMs: number;
  /** Load without faults between two faults (and before the first). */
  gapMs: number;
  duplicateShare: number;
  reorderWindow: number;
  log?: (m: string) => void;
}

/**
 * A bank feed retries what got no answer or a 5xx: 7 tries over about 16 s, longer than any
 * fault here keeps the platform from answering. What is acknowledged is what the audit holds
 * the platform to; what never was is the bank's to resend later, and is reported, not hidden.
 */
export const CHAOS_RETRY: RetryPolicy = { attempts: 7, backoffMs: 250 };

export interface ChaosRow {
  fault: string;
  injected: number;
  sent: number;
  acknowledged: number;
  posted: number;
  lost: number;
  doubled: number;
  recovery: string;
}

export interface ChaosResult {
  faults: FaultRecord[];
  outcome: LoadOutcome;
  audit: Audit;
  rows: ChaosRow[];
  ok: boolean;
}

async function injectFaults(platform: PlatformSupervisor, o: ChaosOptions, faults: FaultRecord[]): Promise<void> {
  const log = o.log ?? (() => undefined);
  const record = async (fault: string, inject: () => Promise<void>) => {
    await sleep(o.gapMs);
    const startedAt = Date.now();
    log(`fault: ${fault}`);
    await inject();
    const endedAt = Date.now();
    faults.push({ fault, count: 1, startedAt, endedAt, recoveryMs: endedAt - startedAt });
    log(`  recovered in ${endedAt - startedAt} ms`);
  };
  for (const name of o.kill) {
    await record(`SIGKILL ${name}, restart`, async () => {
      // Back when its own /health answers 200 (its database and Kafka reachable); the gateway's
      // /health also asks every other service, so an unrelated slow one would blur the figure.
      await platform.killAndRestart(name);
    });
  }
  if (o.kafka) {
    await record(`Kafka stopped ${Math.round(o.kafkaDownMs / 1000)} s, started`, async () => {
      await platform.stopKafka();
      await sleep(o.kafkaDownMs);
      await platform.startKafka();
      await platform.waitHealthy(SERVICE_NAMES);
    });
  }
  if (o.postgres) {
    await record('PostgreSQL restarted', async () => {
      await platform.restartPostgres();
      await platform.waitHealthy(SERVICE_NAMES);
    });
  }
  // Load after the last fault too: whatever it broke shows in what follows.
  await sleep(o.gapMs);
}

/** First send per notification: when it was made, which fault window it fell in. */
function firstSends(records: readonly DeliveryRecord[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const r of records) {
    const at = first.get(r.notificationId);
    if (at === undefined || r.sentAt < at) first.set(r.notificationId, r.sentAt);
  }
  return first;
}

export function chaosRows(
  faults: readonly FaultRecord[],
  outcome: LoadOutcome,
  audit: Audit,
  storedPostings: Map<string, number>,
  o: Pick<ChaosOptions, 'duplicateShare' | 'reorderWindow'>,
): ChaosRow[] {
  const first = firstSends(outcome.records);
  const row = (fault: string, injected: number, ids: string[], recovery: string): ChaosRow => {
    let acknowledged = 0;
    let posted = 0;
    let lost = 0;
    let doubled = 0;
    for (const id of ids) {
      const n = storedPostings.get(id) ?? 0;
      const ack = audit.acknowledged.has(id);
      if (ack) acknowledged++;
      if (n >= 1) posted++;
      if (ack && n === 0) lost++;
      if (n > 1) doubled++;
    }
    return { fault, injected, sent: ids.length, acknowledged, posted, lost, doubled, recovery };
  };
  const sorted = [...faults].sort((a, b) => a.startedAt - b.startedAt);
  const windowOf = (at: number) => {
    let index = -1;
    for (let i = 0; i < sorted.length; i++) if (at >= sorted[i].startedAt) index = i;
    return index;
  };
  const byWindow = new Map<number, string[]>();
  for (const [id, at] of first) {
    const w = windowOf(at);
    byWindow.set(w, [...(byWindow.get(w) ?? []), id]);
  }
  const all = [...first.keys()];
  const resent = outcome.load.resent;
  return [
    row('none (before the first fault)', 0, byWindow.get(-1) ?? [], '–'),
    ...sorted.map((f, i) =>
      row(
        f.fault,
        f.count,
        byWindow.get(i) ?? [],
        f.recoveryMs === undefined ? '–' : `${(f.recoveryMs / 1000).toFixed(1)} s`,
      ),
    ),
    row(`duplicate deliveries (${Math.round(o.duplicateShare * 100)} % sent twice, half racing)`, resent, all, '–'),
    row(`reordered (shuffled in groups of ${o.reorderWindow})`, outcome.load.sent, all, '–'),
  ];
}

export function formatChaosTable(rows: readonly ChaosRow[]): string {
  return [
    '| fault | injected | sent | acknowledged | posted | lost | doubled | back healthy after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.injected} | ${r.sent} | ${r.acknowledged} | ${r.posted} | ${r.lost} | ${r.doubled} | ${r.recovery} |`,
    ),
  ].join('\n');
}

/** Feed id → ledger receipt postings, for every notification sent (acknowledged or not). */
async function postingsOfAll(
  platform: PlatformSupervisor,
  records: readonly DeliveryRecord[],
): Promise<Map<string, number>> {
  const payment = new Pool({ connectionString: withDatabase(platform.postgresUrl, 'cashless_payment'), max: 1 });
  const ledger = new Pool({ connectionString: withDatabase(platform.postgresUrl, 'cashless_ledger'), max: 1 });
  try {
    const ids = [...new Set(records.map((r) => r.notificationId))];
    const stored = (
      await payment.query(
        `SELECT provider_txn_id, id::text FROM bank_notification WHERE provider = 'generic' AND provider_txn_id = ANY($1::text[])`,
        [ids],
      )
    ).rows as { provider_txn_id: string; id: string }[];
    const counts = (
      await ledger.query(
        `SELECT notification_id::text, count(*)::int AS n FROM ledger_transaction
         WHERE posting_key LIKE 'receipt:%' AND notification_id = ANY($1::uuid[]) GROUP BY notification_id`,
        [stored.map((s) => s.id)],
      )
    ).rows as { notification_id: string; n: number }[];
    const byId = new Map(counts.map((c) => [c.notification_id, c.n]));
    return new Map(stored.map((s) => [s.provider_txn_id, byId.get(s.id) ?? 0]));
  } finally {
    await payment.end();
    await ledger.end();
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => undefined);
  const platform = supervisedPlatform(o, log);
  try {
    const shops = await startWithShops(platform, o, 2, log);
    const faults: FaultRecord[] = [];
    log(`Load: ${o.ratePerSecond}/s; faults every ${o.gapMs / 1000} s…`);
    const outcome = await runLoad(
      platform,
      shops,
      {
        ratePerSecond: o.ratePerSecond,
        durationSeconds: o.durationSeconds,
        dynamicShare: 0.3,
        duplicateShare: o.duplicateShare,
        reorderWindow: o.reorderWindow,
        retry: CHAOS_RETRY,
        maxInFlight: 1024,
      },
      () => injectFaults(platform, o, faults),
      log,
    );
    log('Auditing…');
    const audit = await auditRun(platform, outcome);
    log(formatFindings(audit.findings));
    const rows = chaosRows(faults, outcome, audit, await postingsOfAll(platform, outcome.records), o);
    const ok = audit.ok && outcome.settledAt > 0 && rows.every((r) => r.lost === 0 && r.doubled === 0);
    return { faults, outcome, audit, rows, ok };
  } finally {
    await platform.stop();
  }
}
