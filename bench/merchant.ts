import { encodeVietQr, renderPng } from '@cashless/vietqr';
import { loadBoardFonts, renderBoardPdf } from '../apps/merchant/src/boards/board-render';
import { gatewayClient, measure, runPlatformBenchmark } from './platform';
import type { Measured } from './platform';
import { machineLine } from './report';

/**
 * `npm run bench:merchant`: the platform started as `npm start` starts it (its own broker and
 * embedded PostgreSQL, own ports and data folder, no demo data), then through the gateway:
 * registrations per second with BENCH_CLIENTS concurrent clients for BENCH_DURATION_S seconds,
 * board renders per second (QR PNG and A5 PDF), and board checks by code; next to same-run
 * baselines: the gateway's own liveness route (HTTP floor, nothing proxied) and the library's
 * renderers called in-process (no HTTP, no database).
 */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const RENDER_S = Number(process.env.BENCH_RENDER_S ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const BASE_PORT = Number(process.env.BENCH_PORT_BASE ?? 18380);
const KAFKA_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 19992);
const POSTGRES_PORT = Number(process.env.BENCH_POSTGRES_PORT ?? 54359);
const GATEWAY = `http://127.0.0.1:${BASE_PORT}`;
const log = (m: string) => process.stderr.write(`${m}\n`);

const api = gatewayClient(GATEWAY);

/** A registration with its own phone, personal id and account, so no duplicate flags pile up. */
function registration(i: number, streetId: string) {
  const n = String(i).padStart(8, '0');
  return {
    shopName: `Quán bench số ${i}`,
    ownerName: 'Nguyễn Thị Bích',
    phone: `09${n}`,
    taxId: `079${String(i).padStart(9, '0')}`,
    category: 'food_drink',
    streetId,
    houseNumber: String((i % 500) + 1),
    payoutAccounts: [{ bankBin: '970436', accountNumber: `1${n}`, accountName: 'Nguyễn Thị Bích' }],
  };
}

runPlatformBenchmark(
  'merchant',
  'Merchant service',
  { basePort: BASE_PORT, kafkaPort: KAFKA_PORT, postgresPort: POSTGRES_PORT },
  async () => {
    const streets = (await (await api('GET', '/api/v1/streets')).json()) as { id: string; name: string }[];
    const streetId = streets[0].id;
    const officer = (
      (await (
        await api('POST', '/api/v1/auth/login', { username: 'admin', password: 'admin-dev-password' })
      ).json()) as {
        token: string;
      }
    ).token;
    // Warm-up: a few registrations and one approved shop whose board the render runs print.
    for (let i = 0; i < 20; i++) await api('POST', '/api/v1/merchants', registration(900_000 + i, streetId));
    const shop = (await (await api('POST', '/api/v1/merchants', registration(999_999, streetId))).json()) as {
      id: string;
      apiKey: string;
    };
    await api('POST', `/api/v1/merchants/${shop.id}/approve`, undefined, officer);
    const qr = (await (await api('GET', `/api/v1/merchants/${shop.id}/qr`, undefined, shop.apiKey)).json()) as {
      payload: string;
      boardCode: string;
    };

    log(`Baseline: GET /health/live on the gateway, ${CLIENTS} clients, ${RENDER_S} s…`);
    const live = await measure(CLIENTS, RENDER_S, async () => {
      const r = await fetch(`${GATEWAY}/health/live`);
      await r.arrayBuffer();
      return r.ok;
    });
    log(`Registrations through the gateway, ${CLIENTS} clients, ${DURATION_S} s…`);
    const registrations = await measure(CLIENTS, DURATION_S, async (i) => {
      const r = await api('POST', '/api/v1/merchants', registration(i, streetId));
      await r.arrayBuffer();
      return r.status === 201;
    });
    const get = (path: string) => async () => {
      const r = await api('GET', path, undefined, shop.apiKey);
      await r.arrayBuffer();
      return r.ok;
    };
    log('Board checks by code, QR PNG and board PDF through the gateway…');
    const verify = await measure(CLIENTS, RENDER_S, get(`/api/v1/boards/${qr.boardCode}`));
    const png = await measure(CLIENTS, RENDER_S, get(`/api/v1/merchants/${shop.id}/qr.png`));
    const pdf = await measure(CLIENTS, RENDER_S, get(`/api/v1/merchants/${shop.id}/board.pdf`));

    log('Baselines: the library renderers in-process…');
    const payload = encodeVietQr({ bankBin: '970436', account: '100999999', initiation: 'static' });
    const fonts = loadBoardFonts();
    const board = {
      payload,
      boardCode: qr.boardCode,
      shopName: 'Quán bench số 999999',
      accountHolder: 'NGUYEN THI BICH',
      maskedAccount: '****9999',
      bankShortName: 'Vietcombank',
      street: streets[0].name,
    };
    const rawPng = await measure(1, RENDER_S, async () => (await renderPng(payload)).length > 0);
    const rawPdf = await measure(1, RENDER_S, async () => (await renderBoardPdf(board, fonts)).length > 0);

    const row = (name: string, r: Measured, unit = '/s') =>
      `| ${name} | ${r.rate.toFixed(0)}${unit} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.count} | ${r.errors} |`;
    const body = [
      `Run on ${new Date().toISOString().slice(0, 10)}: ${machineLine()}. Command: \`BENCH_CLIENTS=${CLIENTS} ` +
        `BENCH_DURATION_S=${DURATION_S} BENCH_RENDER_S=${RENDER_S} npm run bench:merchant\`. The whole platform ` +
        '(`node dist/tools/start.js`: six services, a Kafka broker and an embedded PostgreSQL on this one machine), ' +
        `${CLIENTS} concurrent HTTP clients (keep-alive) through the gateway; renders are of one approved shop's board.`,
      '',
      '| what | rate | p50 | p99 | done | errors |',
      '|---|---:|---:|---:|---:|---:|',
      row(`registrations \`POST /merchants\` (${DURATION_S} s)`, registrations),
      row('board check `GET /boards/:code`', verify),
      row('QR PNG `GET /merchants/:id/qr.png`', png),
      row('A5 board PDF `GET /merchants/:id/board.pdf`', pdf),
      row('baseline: gateway `GET /health/live` (nothing proxied)', live),
      row('baseline: `renderPng` in-process, 1 caller', rawPng),
      row('baseline: `renderBoardPdf` in-process, 1 caller', rawPdf),
      '',
      'A registration is one transaction (advisory locks on its duplicate fingerprints, the lookalike query, ' +
        'merchant, account, hashed API key, audit entry and outbox event); ' +
        'the PDF embeds a subset of DejaVu Sans, parsed per document by fontkit, which dominates its cost.',
    ].join('\n');
    return body;
  },
);
