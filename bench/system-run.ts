import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { withDatabase } from '@cashless/database';
import { createHttpSender } from '../apps/bank-sim/src/delivery/sender';
import type { RetryPolicy } from '../apps/bank-sim/src/delivery/delivery';
import { intentCreator } from '../apps/bank-sim/src/load/intents';
import { startLoad } from '../apps/bank-sim/src/load/load-run';
import type { DeliveryRecord, LoadReport } from '../apps/bank-sim/src/load/load-run';
import { databaseNameFor } from '../tools/services';
import { PlatformSupervisor } from '../tools/platform-supervisor';
import type { ProcUsage } from '../tools/proc-stats';
import { openSse } from '../tools/sse-client';
import type { SseStream } from '../tools/sse-client';
import { NO_RATE_LIMITS, gatewayClient } from './platform';
import type { Gateway } from './platform';
import { percentile } from './report';

/**
 * The whole platform under the sandbox bank's open-loop load, optionally with faults injected
 * meanwhile, and the audit afterwards: what `npm run bench:system`, `npm run chaos` and their
 * short versions in `npm test` share. Every figure comes from the running platform's own
 * databases and answers; nothing here decides a result without looking.
 */
export interface SystemPorts {
  basePort: number;
  kafkaPort: number;
  postgresPort: number;
}

export const OFFICER = { username: 'admin', password: 'admin-dev-password' };

/** Rate limits off: one load generator is one client address sending far more than any shopper. */
export interface Shop {
  id: string;
  apiKey: string;
  staticPayload: string;
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

export async function officerToken(api: Gateway): Promise<string> {
  return (await json<{ token: string }>(api('POST', '/api/v1/auth/login', OFFICER))).token;
}

/**
 * Registers and approves `count` shops across the streets (each with its own payout account at
 * one of several banks), then waits until the payment service (which learns of approvals from
 * merchant events on Kafka) lets every one of them create a payment intent.
 */
export async function setUpShops(api: Gateway, count: number, tag: number): Promise<Shop[]> {
  if (!Number.isInteger(tag) || tag < 0 || tag > 9)
    throw new RangeError('tag is one digit (keeps phones and tax ids apart)');
  const streets = await json<{ id: string }[]>(api('GET', '/api/v1/streets'));
  const officer = await officerToken(api);
  const banks = ['970436', '970422', '970415', '970418'];
  const shops: Shop[] = [];
  const register = async (i: number): Promise<Shop> => {
    const seed = `${tag}${String(i).padStart(7, '0')}`;
    const { id, apiKey } = await json<{ id: string; apiKey: string }>(
      api('POST', '/api/v1/merchants', {
        shopName: `Cửa hàng tải hệ thống ${i}`,
        ownerName: 'Nguyễn Thị Tải',
        phone: `09${seed}`,
        taxId: `08${tag}${String(i).padStart(9, '0')}`,
        category: ['food_drink', 'grocery', 'fashion', 'services'][i % 4],
        streetId: streets[i % streets.length].id,
        houseNumber: String(i + 1),
        payoutAccounts: [
          { bankBin: banks[i % banks.length], accountNumber: `8${seed}`, accountName: 'Nguyễn Thị Tải' },
        ],
      }),
    );
    await json(api('POST', `/api/v1/merchants/${id}/approve`, undefined, officer));
    const { payload } = await json<{ payload: string }>(api('GET', `/api/v1/merchants/${id}/qr`, undefined, apiKey));
    return { id, apiKey, staticPayload: payload };
  };
  for (let i = 0; i < count; i += 8) {
    shops.push(...(await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => register(i + k)))));
  }
  for (const shop of shops) {
    for (let attempt = 0; ; attempt++) {
      const r = await api('POST', '/api/v1/payment-intents', { amount: 1000 }, shop.apiKey, {
        'idempotency-key': `warm-${shop.id}`,
      });
      await r.arrayBuffer();
      if (r.status === 201) break;
      if (attempt > 600) throw new Error(`shop ${shop.id} never became active in the payment service`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return shops;
}

/** A fault injected during the load: its window decides which notifications it is blamed for. */
export interface FaultRecord {
  fault: string;
  count: number;
  startedAt: number;
  endedAt: number;
  /** Time until the platform answered healthy again, ms. */
  recoveryMs?: number;
}

export interface LoadSettings {
  ratePerSecond: number;
  /** Load lasts at least this long, and until the faults are done. */
  durationSeconds: number;
  dynamicShare: number;
  duplicateShare?: number;
  reorderWindow?: number;
  retry?: RetryPolicy;
  maxInFlight?: number;
  /** Open every shop's live feed and time notices (no faults: a killed gateway ends the streams). */
  feeds?: boolean;
}

export interface Progress {
  /** Milliseconds since the load started. */
  atMs: number;
  stored: number;
  posted: number;
  visible: number;
}

export interface LoadOutcome {
  load: LoadReport;
  records: DeliveryRecord[];
  startedAt: number;
  endedAt: number;
  /** Epoch ms when everything the run stored was posted and visible in analytics. */
  settledAt: number;
  progress: Progress[];
  noticeLatenciesMs: number[];
  usage: ProcUsage[];
  /** What PostgreSQL's busy sessions were doing, sampled during the load: where the time goes. */
  sessionStates: SessionState[];
}

export interface SessionState {
  database: string;
  /** `active` (running or waiting inside PostgreSQL) or `idle in transaction` (waiting for its client). */
  state: string;
  /** `Lock:advisory`, `IO:WalSync`, `Client:ClientRead`, or `CPU` when not waiting. */
  wait: string;
  /** The statement's first words. */
  statement: string;
  /** Share of samples with a session in this state, 0–1 (sessions summed, so shares may exceed 1). */
  share: number;
}

/**
 * Samples pg_stat_activity every 100 ms while `running()`: per database, the state, wait event
 * and statement of every non-idle session. Top entries by how often they were seen.
 */
async function sampleSessions(serverUrl: string, running: () => boolean): Promise<SessionState[]> {
  const pool = new Pool({ connectionString: serverUrl, max: 1 });
  pool.on('error', () => undefined);
  const seen = new Map<string, number>();
  let samples = 0;
  try {
    while (running()) {
      try {
        const { rows } = await pool.query(
          `SELECT datname, state, coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 48) AS statement
           FROM pg_stat_activity
           WHERE state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid() AND datname LIKE 'cashless_%'`,
        );
        samples++;
        for (const r of rows as { datname: string; state: string; wait: string; statement: string }[]) {
          const key = JSON.stringify([r.datname, r.state, r.wait, r.statement]);
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      } catch {
        // restarting: skip
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await pool.end().catch(() => undefined);
  }
  return [...seen]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([key, n]) => {
      const [database, state, wait, statement] = JSON.parse(key) as string[];
      return { database, state, wait, statement, share: samples ? n / samples : 0 };
    });
}

export function formatSessionStates(states: readonly SessionState[]): string {
  return [
    '| database | state | waiting on | statement | sessions per sample |',
    '|---|---|---|---|---:|',
    ...states.map(
      (s) =>
        `| ${s.database.replace('cashless_', '')} | ${s.state} | ${s.wait} | \`${s.statement.replace(/\|/g, '\\|').trim()}…\` | ${s.share.toFixed(2)} |`,
    ),
  ].join('\n');
}

/** Counts per database for progress: notifications stored, receipts posted, payments visible in analytics. */
export class PlatformCounts {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly serverUrl: () => string) {}

  pool(service: string): Pool {
    let pool = this.pools.get(service);
    if (!pool) {
      pool = new Pool({ connectionString: withDatabase(this.serverUrl(), databaseNameFor(service)), max: 3 });
      // A restarted PostgreSQL ends idle connections: the pool drops them and connects anew.
      pool.on('error', () => undefined);
      this.pools.set(service, pool);
    }
    return pool;
  }

  async counts(): Promise<{ stored: number; posted: number; visible: number }> {
    const one = async (service: string, sql: string) =>
      Number(((await this.pool(service).query(sql)).rows[0] as { n: string }).n);
    const [stored, posted, visible] = await Promise.all([
      one('payment', 'SELECT count(*) AS n FROM bank_notification WHERE ignored_reason IS NULL'),
      one('ledger', "SELECT count(*) AS n FROM ledger_transaction WHERE posting_key LIKE 'receipt:%'"),
      one('analytics', 'SELECT count(*) AS n FROM payment_fact'),
    ]);
    return { stored, posted, visible };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.end().catch(() => undefined)));
    this.pools.clear();
  }
}

/**
 * Runs the sandbox bank's load against the platform (static boards round robin and fresh
 * dynamic intents), with `faults` running alongside; then waits until every stored
 * notification is posted in the ledger and visible in analytics (or `settleTimeoutMs` passes).
 */
export async function runLoad(
  platform: PlatformSupervisor,
  shops: Shop[],
  settings: LoadSettings,
  faults: () => Promise<void> = async () => undefined,
  log: (m: string) => void = () => undefined,
  settleTimeoutMs = 180_000,
): Promise<LoadOutcome> {
  const gateway = platform.gatewayUrl;
  const counts = new PlatformCounts(() => platform.postgresUrl);
  const records: DeliveryRecord[] = [];
  const sender = createHttpSender({ maxSockets: settings.maxInFlight ?? 256, timeoutMs: 15_000 });
  const noticeLatenciesMs: number[] = [];
  const sentAtByPayment = new Map<string, number>();
  const feeds: SseStream[] = [];
  let listening = true;
  const collectors: Promise<void>[] = [];
  if (settings.feeds) {
    for (const shop of shops) {
      feeds.push(
        await openSse(`${gateway}/api/v1/merchants/${shop.id}/feed`, { authorization: `Bearer ${shop.apiKey}` }),
      );
    }
    for (const feed of feeds) {
      collectors.push(
        (async () => {
          while (listening) {
            const event = await feed.next(1_000).catch(() => undefined);
            if (!event || event.event !== 'payment') continue;
            const arrived = Date.now();
            const { paymentId } = JSON.parse(event.data) as { paymentId: string };
            // The answer may come back after the notice: look again for a moment.
            for (let i = 0; i < 20 && !sentAtByPayment.has(paymentId); i++) await new Promise((r) => setTimeout(r, 50));
            const sentAt = sentAtByPayment.get(paymentId);
            if (sentAt !== undefined) noticeLatenciesMs.push(arrived - sentAt);
          }
        })(),
      );
    }
  }

  const sampler = platform.sampler(500).start();
  const progress: Progress[] = [];
  const startedAt = Date.now();
  let sampling = true;
  let loading = true;
  const sessions = sampleSessions(platform.postgresUrl, () => loading);
  const progressLoop = (async () => {
    while (sampling) {
      try {
        progress.push({ atMs: Date.now() - startedAt, ...(await counts.counts()) });
      } catch {
        // PostgreSQL restarting: no sample this second.
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();

  const run = startLoad({
    ratePerSecond: settings.ratePerSecond,
    // Stopped explicitly once the duration has passed and the faults are done.
    durationSeconds: 24 * 3600,
    payloads: shops.map((s) => s.staticPayload),
    createDynamicPayload:
      settings.dynamicShare > 0
        ? intentCreator({
            gatewayUrl: gateway,
            send: sender.send,
            merchants: shops,
            amounts: { min: 10_000, max: 500_000 },
          })
        : undefined,
    dynamicShare: settings.dynamicShare,
    duplicateShare: settings.duplicateShare,
    reorderWindow: settings.reorderWindow,
    retry: settings.retry,
    maxInFlight: settings.maxInFlight ?? 256,
    target: { gatewayUrl: gateway, secret: 'dev-bank-webhook-secret', send: sender.send },
    onDelivery: (record) => {
      records.push(record);
      const body = record.delivery.body as { paymentId?: unknown } | null;
      if (body && typeof body.paymentId === 'string' && !sentAtByPayment.has(body.paymentId)) {
        sentAtByPayment.set(body.paymentId, record.sentAt);
      }
    },
  });
  await Promise.all([new Promise((r) => setTimeout(r, settings.durationSeconds * 1000)), faults()]);
  run.stop();
  const load = await run.done;
  const endedAt = Date.now();
  loading = false;
  log(
    `load done: sent ${load.sent}, accepted ${load.accepted}, duplicates ${load.duplicates}, errors ${load.errors}, ` +
      `skipped ${load.skipped}, ${load.achievedRatePerSecond}/s`,
  );

  // Settled: everything stored is posted and visible, and stays so for two samples in a row.
  let settledAt = 0;
  let stable = 0;
  const deadline = Date.now() + settleTimeoutMs;
  while (Date.now() < deadline) {
    try {
      const c = await counts.counts();
      if (c.posted === c.stored && c.visible >= paymentsVisibleTarget(c)) {
        if (stable === 0) settledAt = Date.now();
        if (++stable >= 2) break;
      } else stable = 0;
    } catch {
      stable = 0;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (stable < 2) {
    const last = await counts.counts().catch(() => undefined);
    log(`not settled within ${settleTimeoutMs} ms: ${JSON.stringify(last)}`);
    settledAt = 0;
  }
  sampling = false;
  await progressLoop;
  const sessionStates = await sessions;
  const usage = sampler.stop();
  listening = false;
  await Promise.all(collectors);
  for (const feed of feeds) feed.close();
  sender.close();
  await counts.close();
  return { load, records, startedAt, endedAt, settledAt, progress, noticeLatenciesMs, usage, sessionStates };
}

/**
 * Analytics sees payments (attributed transfers), not unattributed ones; the load pays shops'
 * own QRs only, so every stored notification is a payment. The audit checks that exactly.
 */
function paymentsVisibleTarget(c: { stored: number }): number {
  return c.stored;
}

export interface AuditFinding {
  check: string;
  ok: boolean;
  detail: string;
}

export interface Audit {
  findings: AuditFinding[];
  ok: boolean;
  /** Acknowledged notifications (answered 2xx accepted or duplicate) by feed id. */
  acknowledged: Set<string>;
  /** Feed id → number of ledger receipt postings (0 = lost, 2+ = doubled). */
  postings: Map<string, number>;
  lost: string[];
  doubled: string[];
  /** Notification received → ledger posted, per notification, ms. */
  postingLatenciesMs: number[];
  totals: { debits: bigint; credits: bigint; payments: number; analytics: number };
}

/** Acknowledged: the platform answered 2xx saying it has the notification (new, or already had it). */
export function acknowledgedIds(records: readonly DeliveryRecord[]): Set<string> {
  const ids = new Set<string>();
  for (const r of records) {
    const status = (r.delivery.body as { status?: unknown } | null)?.status;
    if (r.delivery.status === 200 && (status === 'accepted' || status === 'duplicate')) ids.add(r.notificationId);
  }
  return ids;
}

function vietnamDay(epochMs: number): string {
  return new Date(epochMs + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The projection tables' content, one digest per table, in a fixed order. */
async function projectionDigest(pool: Pool): Promise<Record<string, string>> {
  const tables = [
    'daily_payment',
    'monthly_payment',
    'merchant_activity',
    'merchant_days',
    'street_total',
    'shopper_sketch',
  ];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM ${table} t`,
    );
    const row = rows[0] as { n: number; digest: string };
    out[table] = `${row.n}:${row.digest}`;
  }
  return out;
}

/**
 * After a run: every acknowledged notification is in the ledger exactly once; every stored one
 * is posted exactly once; the ledger balances (each transaction, the whole journal, the balance
 * buckets against the entries); the hash chains verify (`cashless ledger verify`); the
 * reconciliation of each day touched is clean; analytics holds every payment once and equals a
 * rebuild from its facts (`cashless analytics rebuild`).
 */
export async function auditRun(platform: PlatformSupervisor, outcome: LoadOutcome): Promise<Audit> {
  const findings: AuditFinding[] = [];
  const add = (check: string, ok: boolean, detail: string) => findings.push({ check, ok, detail });
  const counts = new PlatformCounts(() => platform.postgresUrl);
  try {
    const payment = counts.pool('payment');
    const ledger = counts.pool('ledger');
    const analytics = counts.pool('analytics');
    const acknowledged = acknowledgedIds(outcome.records);

    const stored = (
      await payment.query(
        `SELECT provider_txn_id, id::text, amount::text, ignored_reason, received_at
         FROM bank_notification WHERE provider = 'generic'`,
      )
    ).rows as {
      provider_txn_id: string;
      id: string;
      amount: string;
      ignored_reason: string | null;
      received_at: Date;
    }[];
    const byFeedId = new Map(stored.map((r) => [r.provider_txn_id, r]));
    const posted = (
      await ledger.query(
        `SELECT notification_id::text, count(*)::int AS n, min(posted_at) AS posted_at, sum(e.amount)::text AS amount
         FROM ledger_transaction t
         JOIN LATERAL (SELECT sum(amount) AS amount FROM ledger_entry WHERE transaction_id = t.id AND side = 'debit') e ON true
         WHERE posting_key LIKE 'receipt:%' GROUP BY notification_id`,
      )
    ).rows as { notification_id: string; n: number; posted_at: Date; amount: string }[];
    const postedBy = new Map(posted.map((r) => [r.notification_id, r]));

    const postings = new Map<string, number>();
    const lost: string[] = [];
    const doubled: string[] = [];
    for (const feedId of acknowledged) {
      const row = byFeedId.get(feedId);
      const n = row ? (postedBy.get(row.id)?.n ?? 0) : 0;
      postings.set(feedId, n);
      if (n === 0) lost.push(feedId);
      if (n > 1) doubled.push(feedId);
    }
    add(
      'every acknowledged notification is in the ledger exactly once',
      lost.length === 0 && doubled.length === 0,
      `${acknowledged.size} acknowledged, ${lost.length} lost, ${doubled.length} doubled`,
    );

    const live = stored.filter((r) => r.ignored_reason === null);
    const unposted = live.filter((r) => !postedBy.has(r.id));
    const liveIds = new Set(live.map((r) => r.id));
    const orphans = posted.filter((p) => !liveIds.has(p.notification_id));
    const wrongAmount = live.filter((r) => {
      const p = postedBy.get(r.id);
      return p !== undefined && p.amount !== r.amount;
    });
    add(
      'every stored notification posted exactly once, with its amount',
      unposted.length === 0 && orphans.length === 0 && wrongAmount.length === 0 && posted.every((p) => p.n === 1),
      `${live.length} stored, ${posted.length} posted, ${unposted.length} not posted, ${orphans.length} postings ` +
        `without a notification, ${wrongAmount.length} amounts differ`,
    );
    const unacknowledgedStored = live.filter((r) => !acknowledged.has(r.provider_txn_id)).length;

    // One payment or unattributed transfer per notification, never both, never two.
    const [{ payments, unattributed, both }] = (
      await payment.query(
        `SELECT (SELECT count(*) FROM payment)::int AS payments,
                (SELECT count(*) FROM unattributed_transfer)::int AS unattributed,
                (SELECT count(*) FROM payment p JOIN unattributed_transfer u USING (notification_id)
                  WHERE u.payment_id IS DISTINCT FROM p.id)::int AS both`,
      )
    ).rows as { payments: number; unattributed: number; both: number }[];
    add(
      'one payment record per stored notification',
      payments + unattributed === live.length && both === 0,
      `${payments} payments + ${unattributed} unattributed for ${live.length} notifications`,
    );

    const [sums] = (
      await ledger.query(
        `SELECT coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0)::text AS debits,
                coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0)::text AS credits,
                (SELECT count(*) FROM (SELECT transaction_id FROM ledger_entry GROUP BY transaction_id
                   HAVING sum(CASE side WHEN 'debit' THEN amount ELSE -amount END) <> 0) x)::int AS unbalanced
         FROM ledger_entry`,
      )
    ).rows as { debits: string; credits: string; unbalanced: number }[];
    const [buckets] = (
      await ledger.query(
        `SELECT count(*)::int AS wrong FROM (
           SELECT account_id, sum(debits) AS d, sum(credits) AS c FROM ledger_balance GROUP BY account_id) b
         FULL JOIN (
           SELECT account_id, sum(amount) FILTER (WHERE side = 'debit') AS d, sum(amount) FILTER (WHERE side = 'credit') AS c
           FROM ledger_entry GROUP BY account_id) e USING (account_id)
         WHERE coalesce(b.d, 0) <> coalesce(e.d, 0) OR coalesce(b.c, 0) <> coalesce(e.c, 0)`,
      )
    ).rows as { wrong: number }[];
    const debits = BigInt(sums.debits);
    const credits = BigInt(sums.credits);
    add(
      'ledger balanced: total debits = total credits, every transaction, every balance bucket',
      debits === credits && sums.unbalanced === 0 && buckets.wrong === 0,
      `debits ${debits} đ, credits ${credits} đ, ${sums.unbalanced} unbalanced transactions, ` +
        `${buckets.wrong} accounts whose balance buckets differ from their entries`,
    );
    const storedTotal = live.reduce((s, r) => s + BigInt(r.amount), 0n);
    const postedTotal = posted.reduce((s, r) => s + BigInt(r.amount), 0n);
    add(
      'money in the ledger = money notified',
      storedTotal === postedTotal,
      `notified ${storedTotal} đ, posted ${postedTotal} đ`,
    );

    const verify = spawnSync(
      process.execPath,
      [
        join(platform.root, 'dist/tools/cli/main.js'),
        'ledger',
        'verify',
        '--database-url',
        withDatabase(platform.postgresUrl, 'cashless_ledger'),
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    add('hash chains verify (cashless ledger verify)', verify.status === 0, (verify.stdout + verify.stderr).trim());

    const api = gatewayClient(platform.gatewayUrl);
    const officer = await officerToken(api);
    const days = new Set([vietnamDay(outcome.startedAt), vietnamDay(outcome.endedAt), vietnamDay(Date.now())]);
    for (const day of days) {
      const r = await api('GET', `/api/v1/ledger/reconciliation?date=${day}`, undefined, officer);
      const report = (await r.json()) as {
        clean?: boolean;
        counts?: unknown;
        notes?: string[];
        differences?: { kind: string }[];
      };
      const kinds = [...new Set((report.differences ?? []).map((d) => d.kind))];
      add(
        `reconciliation clean (${day})`,
        r.status === 200 && report.clean === true && (report.notes ?? []).length === 0,
        `HTTP ${r.status}, counts ${JSON.stringify(report.counts)}, ${report.differences?.length ?? '?'} differences` +
          `${kinds.length ? ` (${kinds.join(', ')})` : ''}${report.notes?.length ? `, notes: ${report.notes.join('; ')}` : ''}`,
      );
    }

    const [facts] = (
      await analytics.query('SELECT count(*)::int AS n, coalesce(sum(amount), 0)::text AS total FROM payment_fact')
    ).rows as { n: number; total: string }[];
    const [paid] = (
      await payment.query('SELECT count(*)::int AS n, coalesce(sum(amount), 0)::text AS total FROM payment')
    ).rows as { n: number; total: string }[];
    add(
      'analytics holds every payment once',
      facts.n === paid.n && facts.total === paid.total,
      `analytics ${facts.n} payments, ${facts.total} đ; payment service ${paid.n} payments, ${paid.total} đ`,
    );
    const before = await projectionDigest(analytics);
    const rebuild = spawnSync(
      process.execPath,
      [
        join(platform.root, 'dist/tools/cli/main.js'),
        'analytics',
        'rebuild',
        '--database-url',
        withDatabase(platform.postgresUrl, 'cashless_analytics'),
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    const after = await projectionDigest(analytics);
    const differing = Object.keys(before).filter((t) => before[t] !== after[t]);
    add(
      'analytics equals a rebuild (cashless analytics rebuild)',
      rebuild.status === 0 && differing.length === 0,
      rebuild.status === 0
        ? differing.length === 0
          ? `${Object.keys(before).length} projection tables identical after: ${rebuild.stdout.trim()}`
          : `differ after the rebuild: ${differing.map((t) => `${t} ${before[t]} → ${after[t]}`).join('; ')}`
        : `rebuild failed: ${rebuild.stderr.trim()}`,
    );
    add(
      'no service died unasked',
      platform.unexpectedExits().length === 0,
      platform.unexpectedExits().join('\n') || 'none',
    );

    const postingLatenciesMs: number[] = [];
    for (const r of live) {
      const p = postedBy.get(r.id);
      if (p) postingLatenciesMs.push(p.posted_at.getTime() - r.received_at.getTime());
    }
    postingLatenciesMs.sort((a, b) => a - b);
    if (unacknowledgedStored > 0) {
      add(
        'stored without an acknowledgement (answer lost in a fault, retries exhausted): posted too',
        true,
        `${unacknowledgedStored}`,
      );
    }
    return {
      findings,
      ok: findings.every((f) => f.ok),
      acknowledged,
      postings,
      lost,
      doubled,
      postingLatenciesMs,
      totals: { debits, credits, payments: paid.n, analytics: facts.n },
    };
  } finally {
    await counts.close();
  }
}

export function latencyLine(sorted: number[]): string {
  const p = (q: number) => (sorted.length ? `${percentile(sorted, q).toFixed(0)} ms` : '–');
  return `p50 ${p(50)}, p95 ${p(95)}, p99 ${p(99)} (n = ${sorted.length})`;
}

export function formatFindings(findings: AuditFinding[]): string {
  return findings.map((f) => `- ${f.ok ? '✔' : '✘'} ${f.check}: ${f.detail}`).join('\n');
}

export function formatUsage(usage: ProcUsage[]): string {
  return [
    '| process | CPU (cores, average) | peak RSS |',
    '|---|---:|---:|',
    ...usage.map((u) => `| ${u.name} | ${u.cpuCores.toFixed(2)} | ${(u.peakRssBytes / 2 ** 20).toFixed(0)} MB |`),
  ].join('\n');
}

export interface SystemBenchOptions extends SystemPorts {
  dataDir: string;
  merchants: number;
  load: LoadSettings;
  /** pgbench -N seconds; 0 skips the baseline. */
  pgbenchSeconds: number;
  log?: (m: string) => void;
}

export interface PgbenchResult {
  tps: number;
  clients: number;
  seconds: number;
  scale: number;
}

export interface SystemBenchResult {
  outcome: LoadOutcome;
  audit: Audit;
  /** Acknowledged (new) notifications per second over the load window. */
  acceptedPerSecond: number;
  /** Payments per second from the load's start until the last was posted and visible in analytics. */
  endToEndPerSecond: number;
  /** Highest rate over 10 s of progress samples: ledger postings, analytics facts. */
  peakPostedPerSecond: number;
  peakVisiblePerSecond: number;
  pgbench: PgbenchResult | null;
}

/**
 * `pgbench -N` (the TPC-B-like script without the contended branch and teller updates: three
 * writes and a read per transaction) on a scratch database of the same server: what this
 * PostgreSQL does with no platform in the way, so the platform's figures read as a ratio.
 */
export async function pgbenchBaseline(serverUrl: string, seconds: number, clients = 8): Promise<PgbenchResult> {
  const url = new URL(serverUrl);
  const env = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username) || 'postgres',
    PGPASSWORD: decodeURIComponent(url.password),
  };
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  const scale = 10;
  try {
    await admin.query('DROP DATABASE IF EXISTS cashless_pgbench');
    await admin.query('CREATE DATABASE cashless_pgbench');
    const init = spawnSync('pgbench', ['-i', '-q', '-s', String(scale), 'cashless_pgbench'], {
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.error?.message ?? init.stderr}`);
    const run = spawnSync(
      'pgbench',
      ['-N', '-c', String(clients), '-j', '2', '-T', String(seconds), 'cashless_pgbench'],
      { env, encoding: 'utf8', timeout: (seconds + 120) * 1000 },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout ?? '')?.[1];
    if (run.status !== 0 || !tps) throw new Error(`pgbench -N failed: ${run.error?.message ?? run.stderr}`);
    return { tps: Number(tps), clients, seconds, scale };
  } finally {
    await admin.query('DROP DATABASE IF EXISTS cashless_pgbench').catch(() => undefined);
    await admin.end();
  }
}

function peakRate(progress: Progress[], key: 'posted' | 'visible', windowMs = 10_000): number {
  let best = 0;
  for (let i = 0, j = 0; i < progress.length; i++) {
    while (progress[i].atMs - progress[j].atMs > windowMs) j++;
    const span = (progress[i].atMs - progress[j].atMs) / 1000;
    if (span >= windowMs / 2000) best = Math.max(best, (progress[i][key] - progress[j][key]) / span);
  }
  return best;
}

/** The platform under supervision, its gateway's rate limits off (the load is one client address). */
export function supervisedPlatform(o: SystemPorts & { dataDir: string }, log: (m: string) => void): PlatformSupervisor {
  const { dataDir, basePort, kafkaPort, postgresPort } = o;
  return new PlatformSupervisor({ dataDir, basePort, kafkaPort, postgresPort, env: NO_RATE_LIMITS, log });
}

/** Starts the platform and registers and approves `o.merchants` shops (`tag` keeps their phones apart between runs). */
export async function startWithShops(
  platform: PlatformSupervisor,
  o: SystemPorts & { merchants: number },
  tag: number,
  log: (m: string) => void,
): Promise<Shop[]> {
  log(`Starting the platform (base port ${o.basePort}, embedded PostgreSQL ${o.postgresPort}, Kafka ${o.kafkaPort})…`);
  await platform.start();
  log(`Registering and approving ${o.merchants} shops…`);
  return setUpShops(gatewayClient(platform.gatewayUrl), o.merchants, tag);
}

/** The platform, the shops, the load with every shop's feed open, the audit, then the pgbench baseline. */
export async function runSystemBench(o: SystemBenchOptions): Promise<SystemBenchResult> {
  const log = o.log ?? (() => undefined);
  const platform = supervisedPlatform(o, log);
  try {
    const shops = await startWithShops(platform, o, 1, log);
    log(`Load: ${o.load.ratePerSecond}/s for ${o.load.durationSeconds} s…`);
    const outcome = await runLoad(platform, shops, { ...o.load, feeds: true }, undefined, log);
    log('Auditing…');
    const audit = await auditRun(platform, outcome);
    log(formatFindings(audit.findings));
    const windowS = (outcome.endedAt - outcome.startedAt) / 1000;
    const e2eS = outcome.settledAt ? (outcome.settledAt - outcome.startedAt) / 1000 : NaN;
    let pgbench: PgbenchResult | null = null;
    if (o.pgbenchSeconds > 0) {
      log(`Baseline: pgbench -N for ${o.pgbenchSeconds} s on the same server…`);
      pgbench = await pgbenchBaseline(platform.postgresUrl, o.pgbenchSeconds);
    }
    return {
      outcome,
      audit,
      acceptedPerSecond: outcome.load.accepted / windowS,
      endToEndPerSecond: audit.totals.analytics / e2eS,
      peakPostedPerSecond: peakRate(outcome.progress, 'posted'),
      peakVisiblePerSecond: peakRate(outcome.progress, 'visible'),
      pgbench,
    };
  } finally {
    await platform.stop();
  }
}
