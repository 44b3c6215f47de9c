import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { killProcessesUsing, launchPlatform, processesUsing } from '../tools/platform-process';
import type { PlatformProcess } from '../tools/platform-process';
import { openSse } from '../tools/sse-client';

/**
 * The platform's main flows through the gateway of a platform started the way users start it
 * (`node dist/tools/start.js`), on its own ports, broker and data folder, without demo data:
 * register → approve → board → verify → report; then checkout → the sandbox bank pays → the live
 * feed announces it → the intent is paid, and a static-QR payment.
 */
const basePort = 18280;
const kafkaPort = 19892;
const postgresPort = 54349;
const gateway = `http://127.0.0.1:${basePort}/api/v1`;
const dataDir = mkdtempSync(join(tmpdir(), 'cashless-platform-flow-'));
const bankSim = `http://127.0.0.1:${basePort + 5}`;
let platform: PlatformProcess | undefined;

async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: Record<string, unknown> | unknown[] | undefined;
  raw: Buffer;
  type: string | null;
}> {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  return { status: response.status, raw, type, body: type?.includes('json') ? JSON.parse(raw.toString()) : undefined };
}

describe('platform flows through the gateway (npm start)', () => {
  beforeAll(async () => {
    platform = launchPlatform({ dataDir, basePort, kafkaPort, postgresPort });
    await platform.ready;
  });

  afterAll(async () => {
    await platform?.stop();
    killProcessesUsing(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('register → officer approves → board → verify by code and by payload → report → officer sees it', async () => {
    const streets = await call('GET', '/streets');
    expect(streets.status).toBe(200);
    const street = (streets.body as { id: string; name: string }[]).find((s) => s.name === 'Hùng Vương')!;
    const registered = await call('POST', '/merchants', {
      shopName: 'Bún chả Cô Ba',
      ownerName: 'Lê Thị Ba',
      phone: '0912000333',
      taxId: '0100109106',
      category: 'food_drink',
      streetId: street.id,
      houseNumber: '7',
      payoutAccounts: [{ bankBin: '970436', accountNumber: '0071000333777', accountName: 'Lê Thị Ba' }],
    });
    expect(registered.status).toBe(201);
    const { id, apiKey } = registered.body as { id: string; apiKey: string };

    // No board before approval.
    expect((await call('GET', `/merchants/${id}/qr`, undefined, apiKey)).status).toBe(409);

    const login = await call('POST', '/auth/login', { username: 'admin', password: 'admin-dev-password' });
    expect(login.status).toBe(200);
    const officer = (login.body as { token: string }).token;
    expect((await call('POST', `/merchants/${id}/approve`, undefined, officer)).status).toBe(200);

    const qr = await call('GET', `/merchants/${id}/qr`, undefined, apiKey);
    expect(qr.status).toBe(200);
    const { payload, boardCode } = qr.body as { payload: string; boardCode: string };
    expect(payload).toMatch(/^000201010211/);
    expect(boardCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);

    const png = await call('GET', `/merchants/${id}/qr.png`, undefined, apiKey);
    expect(png.type).toBe('image/png');
    expect(png.raw.subarray(1, 4).toString('latin1')).toBe('PNG');
    const pdf = await call('GET', `/merchants/${id}/board.pdf`, undefined, officer);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.raw.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const svg = await call('GET', `/merchants/${id}/board.svg`, undefined, apiKey);
    expect(svg.raw.toString()).toContain('Bún chả Cô Ba');

    const byCode = await call('GET', `/boards/${boardCode}`);
    expect(byCode.status).toBe(200);
    expect(byCode.body).toMatchObject({
      boardCode,
      shopName: 'Bún chả Cô Ba',
      street: 'Hùng Vương',
      accountHolder: 'LE THI BA',
      maskedAccount: '****3777',
      bankShortName: 'Vietcombank',
      status: 'active',
      active: true,
      verdict: 'genuine',
    });
    expect(JSON.stringify(byCode.body)).not.toContain('0071000333777');
    const byPayload = await call('POST', '/boards/verify', { payload });
    expect(byPayload.body).toMatchObject({ boardCode, verdict: 'genuine' });
    expect((await call('POST', '/boards/verify', { payload: 'not a qr' })).body).toMatchObject({ verdict: 'invalid' });

    const report = await call('POST', `/boards/${boardCode}/report`, {
      reason: 'qr_swapped',
      note: 'Có mã QR khác dán đè lên bảng',
    });
    expect(report.status).toBe(201);
    const reports = await call('GET', '/fraud-reports', undefined, officer);
    expect(reports.status).toBe(200);
    expect(reports.body).toEqual([
      expect.objectContaining({
        id: (report.body as { id: string }).id,
        boardCode,
        merchantId: id,
        reason: 'qr_swapped',
      }),
    ]);
    expect((await call('GET', '/fraud-reports', undefined, apiKey)).status).toBe(403);

    // The rate limit holds through the gateway too (its address is the client's).
    const more = [];
    for (let i = 0; i < 5; i++)
      more.push((await call('POST', `/boards/${boardCode}/report`, { reason: 'other' })).status);
    expect(more).toEqual([201, 201, 201, 201, 429]);
  });

  it('checkout: intent → the sandbox bank pays its QR → the live feed announces it within a second → intent succeeded; static QR too', async () => {
    const streets = await call('GET', '/streets');
    const street = (streets.body as { id: string; name: string }[]).find((s) => s.name === 'Lê Duẩn')!;
    const registered = await call('POST', '/merchants', {
      shopName: 'Cà phê Sáng',
      ownerName: 'Trần Văn Sáng',
      phone: '0987000111',
      taxId: '070900000777',
      category: 'food_drink',
      streetId: street.id,
      houseNumber: '21',
      payoutAccounts: [{ bankBin: '970422', accountNumber: '0987000111222', accountName: 'Trần Văn Sáng' }],
    });
    expect(registered.status).toBe(201);
    const { id, apiKey } = registered.body as { id: string; apiKey: string };
    const officer = (
      (await call('POST', '/auth/login', { username: 'admin', password: 'admin-dev-password' })).body as {
        token: string;
      }
    ).token;
    expect((await call('POST', `/merchants/${id}/approve`, undefined, officer)).status).toBe(200);

    // The payment service learns of the approval from the merchant events (Kafka): retry until it has.
    let intent: { id: string; qrPayload: string; paymentCode: string; amount: number } | undefined;
    for (let attempt = 0; attempt < 100 && !intent; attempt++) {
      const created = await call('POST', '/payment-intents', { amount: 45_000, orderRef: 'BAN-3' }, apiKey, {
        'idempotency-key': `e2e-checkout-${attempt}`,
      });
      if (created.status === 201) intent = created.body as typeof intent;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(intent).toBeDefined();

    const feed = await openSse(`${gateway}/merchants/${id}/feed`, { authorization: `Bearer ${apiKey}` });
    expect(feed.status).toBe(200);
    expect(feed.contentType).toContain('text/event-stream');
    try {
      const paidAt = Date.now();
      const paid = await fetch(`${bankSim}/sim/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload: intent!.qrPayload, payerName: 'NGUYEN VAN KHACH' }),
      });
      expect(paid.status).toBe(200);
      const notice = await feed.next(5_000);
      const latency = Date.now() - paidAt;
      expect(notice.event).toBe('payment');
      expect(JSON.parse(notice.data)).toMatchObject({
        merchantId: id,
        amount: 45_000,
        intentId: intent!.id,
        outcome: 'succeeded',
        channel: 'dynamic_qr',
      });
      process.stdout.write(`sandbox pay → live feed notice: ${latency} ms\n`);

      const read = await call('GET', `/payment-intents/${intent!.id}`, undefined, apiKey);
      expect(read.body).toMatchObject({ status: 'succeeded' });

      // The shop's printed board: a static QR, the shopper types the amount.
      const qr = (await call('GET', `/merchants/${id}/qr`, undefined, apiKey)).body as { payload: string };
      const staticPaid = await fetch(`${bankSim}/sim/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload: qr.payload, amount: 18_000 }),
      });
      expect(staticPaid.status).toBe(200);
      expect(JSON.parse((await feed.next(5_000)).data)).toMatchObject({
        merchantId: id,
        amount: 18_000,
        channel: 'static_qr',
        outcome: 'static',
      });

      // The same through the command line a developer uses: `npx cashless pay '<payload>' --amount N`.
      const cli = spawnSync(
        process.execPath,
        ['dist/tools/cli/main.js', 'pay', qr.payload, '--amount', '7000', '--gateway', `http://127.0.0.1:${basePort}`],
        { encoding: 'utf8' },
      );
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ notification: { amount: 7_000 } });
      expect(JSON.parse((await feed.next(5_000)).data)).toMatchObject({ amount: 7_000, channel: 'static_qr' });
    } finally {
      feed.close();
    }
  });

  it('stops cleanly', async () => {
    expect(await platform!.stop()).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
