import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { signatureHeader } from '@cashless/contracts';
import { repoRoot } from '@cashless/infra';
import type { CanonicalBankNotification } from '@cashless/contracts';
import { createHttpSender } from '../apps/bank-sim/src/delivery/sender';
import { startLoad } from '../apps/bank-sim/src/load/load-run';
import { openSse } from '../tools/sse-client';
import { NO_RATE_LIMITS, gatewayClient, measure, runPlatformBenchmark } from './platform';
import type { Measured } from './platform';
import { machineLine, percentile } from './report';

/**
 * `npm run bench:payment`: the whole platform started as `npm start` starts it, then through the
 * gateway: (1) payment intent creations per second, (2) signed bank notifications ingested per
 * second (each stored, matched to a shop's payout account and announced in one transaction), both
 * closed-loop with BENCH_CLIENTS clients; (3) notification → live-feed (SSE) latency with the
 * sandbox bank's open-loop load generator at BENCH_NOTICE_RATE/s, every shop's feed open. Same-run
 * baseline: a bare Fastify route doing one PostgreSQL INSERT on the same database server.
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const MERCHANTS = Number(process.env.BENCH_MERCHANTS ?? 20);
const NOTICE_RATE = Number(process.env.BENCH_NOTICE_RATE ?? 500);
const BASE_PORT = Number(process.env.BENCH_PORT_BASE ?? 18480);
const KAFKA_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 19993);
const POSTGRES_PORT = Number(process.env.BENCH_POSTGRES_PORT ?? 54369);
const GATEWAY = `http://127.0.0.1:${BASE_PORT}`;
/** A port outside the platform's range (base + 0…5) for the baseline's own gateway. */
const BASELINE_GATEWAY_PORT = BASE_PORT + 9;
const SECRET = 'dev-bank-webhook-secret';
const log = (m: string) => process.stderr.write(`${m}\n`);
const api = gatewayClient(GATEWAY);

interface Shop {
  id: string;
  apiKey: string;
  bankBin: string;
  accountNumber: string;
  staticPayload: string;
}

function registration(i: number, streetId: string) {
  const n = String(i).padStart(8, '0');
  return {
    shopName: `Quán thử tải số ${i}`,
    ownerName: 'Phạm Văn Tải',
    phone: `096${n.slice(1)}`,
    taxId: `080${String(i).padStart(9, '0')}`,
    category: 'food_drink',
    streetId,
    houseNumber: String(i + 1),
    payoutAccounts: [{ bankBin: '970436', accountNumber: `2${n}`, accountName: 'Phạm Văn Tải' }],
  };
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const r = await response;
  if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

async function setUpShops(): Promise<Shop[]> {
  const streets = await json<{ id: string }[]>(api('GET', '/api/v1/streets'));
  const officer = (
    await json<{ token: string }>(
      api('POST', '/api/v1/auth/login', { username: 'admin', password: 'admin-dev-password' }),
    )
  ).token;
  const shops: Shop[] = [];
  for (let i = 0; i < MERCHANTS; i++) {
    const body = registration(i, streets[i % streets.length].id);
    const { id, apiKey } = await json<{ id: string; apiKey: string }>(api('POST', '/api/v1/merchants', body));
    await json(api('POST', `/api/v1/merchants/${id}/approve`, undefined, officer));
    const { payload } = await json<{ payload: string }>(api('GET', `/api/v1/merchants/${id}/qr`, undefined, apiKey));
    shops.push({
      id,
      apiKey,
      bankBin: '970436',
      accountNumber: body.payoutAccounts[0].accountNumber,
      staticPayload: payload,
    });
  }
  // The payment service learns of approvals from merchant events: wait until every shop can sell.
  for (const shop of shops) {
    for (let attempt = 0; ; attempt++) {
      const r = await api('POST', '/api/v1/payment-intents', { amount: 1000 }, shop.apiKey, {
        'idempotency-key': `warm-${shop.id}`,
      });
      await r.arrayBuffer();
      if (r.status === 201) break;
      if (attempt > 300) throw new Error(`shop ${shop.id} never became active in the payment service`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return shops;
}

/**
 * The floors for "one write per request": a bare Fastify route doing one INSERT on the same
 * PostgreSQL server, called directly and through a gateway process of its own (the same gateway
 * build, with this route as its payment upstream), so the gateway hop's own cost is visible.
 */
async function baseline(): Promise<{ direct: Measured; viaGateway: Measured }> {
  const pool = new Pool({
    connectionString: `postgres://postgres:postgres@127.0.0.1:${POSTGRES_PORT}/postgres`,
    max: 10,
  });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_baseline (id uuid PRIMARY KEY, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
  const app = Fastify();
  // Any path: the gateway forwards /api/v1/payment-intents here unchanged.
  app.post('/*', async (request) => {
    const { amount } = request.body as { amount: number };
    await pool.query('INSERT INTO bench_baseline (id, amount) VALUES ($1, $2)', [randomUUID(), amount]);
    return { ok: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const insert = (base: string, path: string) => async () => {
    const r = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":50000}',
    });
    await r.arrayBuffer();
    return r.ok;
  };
  const gateway = spawn(process.execPath, [join(repoRoot(), 'dist/apps/gateway/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(BASELINE_GATEWAY_PORT),
      PAYMENT_URL: url,
      ...NO_RATE_LIMITS,
    },
    stdio: 'ignore',
  });
  try {
    const viaGatewayUrl = `http://127.0.0.1:${BASELINE_GATEWAY_PORT}`;
    for (let attempt = 0; ; attempt++) {
      const ok = await insert(viaGatewayUrl, '/api/v1/payment-intents')().catch(() => false);
      if (ok) break;
      if (attempt > 200) throw new Error('the baseline gateway did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const direct = await measure(CLIENTS, DURATION_S, insert(url, '/insert'));
    const viaGateway = await measure(CLIENTS, DURATION_S, insert(viaGatewayUrl, '/api/v1/payment-intents'));
    return { direct, viaGateway };
  } finally {
    gateway.kill('SIGTERM');
    await app.close();
    await pool.query('DROP TABLE bench_baseline');
    await pool.end();
  }
}

function staticNotification(shop: Shop, i: number): CanonicalBankNotification {
  return {
    id: `BENCH-${randomUUID()}`,
    bankBin: shop.bankBin,
    accountNumber: shop.accountNumber,
    amount: 10_000 + (i % 400) * 1000,
    content: `THANH TOAN ${i}`,
    transferredAt: new Date().toISOString(),
    payerName: 'NGUYEN VAN KHACH',
  };
}

runPlatformBenchmark(
  'payment',
  'Payment service',
  { basePort: BASE_PORT, kafkaPort: KAFKA_PORT, postgresPort: POSTGRES_PORT },
  async () => {
    log(`Registering and approving ${MERCHANTS} shops…`);
    const shops = await setUpShops();

    log(`Intent creations through the gateway, ${CLIENTS} clients, ${DURATION_S} s…`);
    const creates = await measure(CLIENTS, DURATION_S, async (i) => {
      const shop = shops[i % shops.length];
      const r = await api('POST', '/api/v1/payment-intents', { amount: 25_000 + (i % 100) * 1000 }, shop.apiKey, {
        'idempotency-key': `bench-${i}-${shop.id}`,
      });
      await r.arrayBuffer();
      return r.status === 201;
    });

    log(`Bank notifications through the gateway, ${CLIENTS} clients, ${DURATION_S} s…`);
    const notifications = await measure(CLIENTS, DURATION_S, async (i) => {
      const body = JSON.stringify(staticNotification(shops[i % shops.length], i));
      const r = await fetch(`${GATEWAY}/api/v1/bank-notifications/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signatureHeader(SECRET, body) },
        body,
      });
      const answer = (await r.json()) as { status?: string };
      return r.status === 200 && answer.status === 'accepted';
    });

    log(
      `Notification → live feed at ${NOTICE_RATE}/s for ${DURATION_S} s (sandbox bank load mode, ${MERCHANTS} feeds open)…`,
    );
    const feeds = await Promise.all(
      shops.map((shop) =>
        openSse(`${GATEWAY}/api/v1/merchants/${shop.id}/feed`, { authorization: `Bearer ${shop.apiKey}` }),
      ),
    );
    const noticeLatencies: number[] = [];
    let listening = true;
    const collectors = feeds.map(async (feed) => {
      while (listening) {
        const event = await feed.next(2_000).catch(() => undefined);
        if (!event || event.event !== 'payment') continue;
        const { transferredAt } = JSON.parse(event.data) as { transferredAt: string };
        noticeLatencies.push(Date.now() - Date.parse(transferredAt));
      }
    });
    const sender = createHttpSender({ maxSockets: 128 });
    const run = startLoad({
      ratePerSecond: NOTICE_RATE,
      durationSeconds: DURATION_S,
      payloads: shops.map((s) => s.staticPayload),
      target: { gatewayUrl: GATEWAY, secret: SECRET, send: sender.send },
      maxInFlight: 256,
    });
    const load = await run.done;
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the last notices
    listening = false;
    await Promise.all(collectors);
    for (const feed of feeds) feed.close();
    sender.close();
    noticeLatencies.sort((a, b) => a - b);

    log(
      `Baselines: bare Fastify + one INSERT, directly and through a gateway, ${CLIENTS} clients, ${DURATION_S} s each…`,
    );
    const floor = await baseline();

    const row = (name: string, r: Measured) =>
      `| ${name} | ${r.rate.toFixed(0)}/s | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.count} | ${r.errors} |`;
    const noticeP = (p: number) => `${percentile(noticeLatencies, p).toFixed(0)} ms`;
    const body = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}. Command: \`BENCH_CLIENTS=${CLIENTS} ` +
        `BENCH_DURATION_S=${DURATION_S} BENCH_MERCHANTS=${MERCHANTS} BENCH_NOTICE_RATE=${NOTICE_RATE} npm run bench:payment\`. ` +
        'The whole platform (`node dist/tools/start.js`: six services, a Kafka broker and an embedded PostgreSQL) and ' +
        `this benchmark's clients share the machine; ${CLIENTS} closed-loop keep-alive clients through the gateway.`,
      '',
      '| what | rate | p50 | p99 | done | errors |',
      '|---|---:|---:|---:|---:|---:|',
      row('intent creations `POST /payment-intents` (Idempotency-Key, dynamic VietQR, outbox event)', creates),
      row(
        'bank notifications `POST /bank-notifications/generic` (verify, store, match, record, outbox, notice)',
        notifications,
      ),
      row('baseline: bare Fastify route, one PostgreSQL INSERT (same server, no gateway)', floor.direct),
      row(
        'baseline: the same route behind its own gateway process (the hop every public call makes)',
        floor.viaGateway,
      ),
      '',
      `Notification → live feed: the sandbox bank's open-loop generator at ${NOTICE_RATE}/s for ${DURATION_S} s ` +
        `(sent ${load.sent}, accepted ${load.accepted}, errors ${load.errors}, skipped ${load.skipped}; achieved ` +
        `${load.achievedRatePerSecond.toFixed(0)}/s; acknowledgement p50 ${load.latencyMs?.p50.toFixed(1) ?? '–'} ms, ` +
        `p99 ${load.latencyMs?.p99.toFixed(1) ?? '–'} ms). Notices received on ${MERCHANTS} open SSE feeds: ` +
        `${noticeLatencies.length}; transfer time → notice p50 ${noticeP(50)}, p95 ${noticeP(95)}, p99 ${noticeP(99)}.`,
      '',
      'Goals (issue 5): ≥ 1,500 creations/s with p99 < 100 ms; notification → notice p99 < 1 s at 500/s.',
    ].join('\n');
    return body;
  },
);
