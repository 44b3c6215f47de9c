import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { canonicalBankNotificationSchema } from '@cashless/contracts';
import type { LoadRunView } from '../src/sim/sandbox-bank.service';
import { BOARD_QR, CHECKOUT_CONTENT, CHECKOUT_QR } from './qr-fixtures';
import { FakePlatform, startBankSimApp, type BankSimApp } from './bank-sim-app';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

describe('sandbox bank against a platform that checks signatures', () => {
  const platform = new FakePlatform();
  let bank: BankSimApp;

  beforeAll(async () => {
    bank = await startBankSimApp(await platform.start());
  });

  afterAll(async () => {
    await bank?.close();
    await platform.stop();
  });

  /** A load run's report once it has ended. */
  const finished = (id: string): Promise<LoadRunView> =>
    until(
      async () => (await bank.http().get(`/sim/load/${id}`)).body as LoadRunView,
      (report) => report.status !== 'running',
    );

  afterEach(() => {
    platform.received.length = 0;
    platform.failNext = 0;
  });

  it('POST /sim/pay delivers exactly the signed bytes of the notification it returns', async () => {
    const res = await bank
      .http()
      .post('/sim/pay')
      .send({ payload: CHECKOUT_QR, payerName: 'Trần Thị Bích', payerAccount: '1903555000' });
    expect(res.status).toBe(200);
    const { notification, deliveries, transfer } = res.body;
    expect(canonicalBankNotificationSchema.parse(notification)).toMatchObject({
      bankBin: '970436',
      accountNumber: '0011001932418',
      amount: 50_000,
      content: CHECKOUT_CONTENT,
      payerName: 'TRAN THI BICH',
    });
    expect(transfer).toMatchObject({ qrAmount: 50_000, amountOverridden: false, initiation: 'dynamic' });
    expect(deliveries).toEqual([{ status: 200, body: { status: 'accepted' }, attempts: 1, ms: expect.any(Number) }]);
    // The receiver verified the signature over these bytes (else it would have answered 401).
    expect(platform.received).toEqual([{ raw: JSON.stringify(notification), id: notification.id, status: 200 }]);
  });

  it('sends duplicates N + 1 times with the same id, one after another or at once', async () => {
    for (const concurrent of [false, true]) {
      platform.received.length = 0;
      const res = await bank.http().post('/sim/pay').send({ payload: CHECKOUT_QR, duplicates: 4, concurrent });
      expect(res.status).toBe(200);
      const ids = platform.verified().map((r) => r.id);
      expect(ids).toEqual(Array(5).fill(res.body.notification.id));
      expect(new Set(platform.received.map((r) => r.raw)).size).toBe(1);
      const answers = (res.body.deliveries as { body: { status: string } }[]).map((d) => d.body.status).sort();
      expect(answers).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    }
  });

  it('retries after a 503 like a feed, and the retry carries the same bytes', async () => {
    platform.failNext = 1;
    const res = await bank.http().post('/sim/pay').send({ payload: BOARD_QR, amount: 42_000 });
    expect(res.status).toBe(200);
    expect(res.body.deliveries).toEqual([
      { status: 200, body: { status: 'accepted' }, attempts: 2, ms: expect.any(Number) },
    ]);
    expect(platform.received.map((r) => r.status)).toEqual([503, 200]);
    expect(platform.received[0].raw).toBe(platform.received[1].raw);
    expect(JSON.parse(platform.received[1].raw)).toMatchObject({ amount: 42_000, content: 'Thanh toan NGUYEN VAN A' });
  });

  it('POST /sim/pay-batch with reorder delivers in a shuffled order', async () => {
    const payments = [1, 2, 3, 4, 5, 6].map((i) => ({ payload: BOARD_QR, amount: i * 1000 }));
    const res = await bank.http().post('/sim/pay-batch').send({ payments, reorder: true });
    expect(res.status).toBe(200);
    const { results, deliveryOrder } = res.body as {
      results: { notification: { id: string; amount: number } }[];
      deliveryOrder: number[];
    };
    expect(results.map((r) => r.notification.amount)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect([...deliveryOrder].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(deliveryOrder).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(platform.verified().map((r) => r.id)).toEqual(deliveryOrder.map((i) => results[i].notification.id));

    platform.received.length = 0;
    const inOrder = await bank.http().post('/sim/pay-batch').send({ payments });
    expect(inOrder.body.deliveryOrder).toEqual([0, 1, 2, 3, 4, 5]);
    expect(platform.verified().map((r) => JSON.parse(r.raw).amount)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('answers 202 for a delayed payment and delivers it later', async () => {
    const res = await bank.http().post('/sim/pay').send({ payload: CHECKOUT_QR, delayMs: 300 });
    expect(res.status).toBe(202);
    expect(res.body.scheduledFor).toEqual(expect.any(String));
    expect(platform.received).toHaveLength(0);
    await until(
      async () => platform.received.length,
      (n) => n > 0,
    );
    expect(platform.verified().map((r) => r.id)).toEqual([res.body.notification.id]);
  });

  it('refuses a QR a bank app would refuse, with the reason in both languages', async () => {
    const damaged = await bank
      .http()
      .post('/sim/pay')
      .send({ payload: `${CHECKOUT_QR.slice(0, -4)}0000` });
    expect(damaged.status).toBe(400);
    expect(damaged.body.error).toMatchObject({
      code: 'qr_crc_invalid',
      message: 'The QR code is damaged (CRC check failed)',
      messageVi: 'Mã QR bị lỗi (sai mã kiểm tra CRC)',
      details: { decoder: [{ code: 'CRC_MISMATCH', message: expect.any(String) }] },
    });
    const noAmount = await bank.http().post('/sim/pay').send({ payload: BOARD_QR });
    expect(noAmount.status).toBe(400);
    expect(noAmount.body.error.code).toBe('amount_required');
    const batch = await bank
      .http()
      .post('/sim/pay-batch')
      .send({ payments: [{ payload: CHECKOUT_QR }, { payload: BOARD_QR }] });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details.fields).toEqual([
      { field: 'payments[1].payload', message: expect.objectContaining({ en: expect.stringContaining('static QR') }) },
    ]);
    expect(platform.received).toHaveLength(0);
  });

  it('validates every input with field errors, never a 5xx', async () => {
    const bad = await bank.http().post('/sim/pay').send({ payload: 7, amount: -1, unknown: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'amount',
      'payload',
      'unknown',
    ]);
    const notJson = await bank.http().post('/sim/pay').set('content-type', 'application/json').send('{"payload":');
    expect(notJson.status).toBe(400);
    const load = await bank
      .http()
      .post('/sim/load')
      .send({ ratePerSecond: 10, durationSeconds: 1, payloads: ['x'] });
    expect(load.status).toBe(400);
    expect(load.body.error.details.fields).toEqual([
      { field: 'payloads[0]', message: expect.objectContaining({ en: expect.stringContaining('malformed') }) },
    ]);
    expect((await bank.http().get('/sim/load/nope')).status).toBe(404);
  });

  it('runs load at the requested rate against the platform and reports it', async () => {
    const started = await bank
      .http()
      .post('/sim/load')
      .send({ ratePerSecond: 200, durationSeconds: 2, payloads: [BOARD_QR, CHECKOUT_QR] });
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/sim/load/${started.body.id}`);
    const busy = await bank
      .http()
      .post('/sim/load')
      .send({ ratePerSecond: 1, durationSeconds: 1, payloads: [CHECKOUT_QR] });
    expect(busy.status).toBe(409);
    const report = await finished(started.body.id);
    process.stderr.write(
      `bank-sim load, 200/s for 2 s: sent ${report.sent}, achieved ${report.achievedRatePerSecond}/s, ` +
        `skipped ${report.skipped}, latency ms ${JSON.stringify(report.latencyMs)}\n`,
    );
    expect(report).toMatchObject({ status: 'done', scheduled: 400, rejected: 0, errors: 0, inFlight: 0 });
    expect(report.sent + report.skipped).toBe(400);
    // Paying the same QR again is a new transfer with its own id: every one is accepted.
    expect(report.accepted).toBe(report.sent);
    expect(platform.verified()).toHaveLength(report.sent);
  });

  it('pays fresh payment intents of the given merchants for the dynamic share', async () => {
    platform.intentsCreated.length = 0;
    const started = await bank
      .http()
      .post('/sim/load')
      .send({
        ratePerSecond: 100,
        durationSeconds: 1,
        merchants: [{ apiKey: 'key-a', payload: BOARD_QR }, { apiKey: 'key-b' }],
        dynamicShare: 0.5,
        amounts: { min: 20_000, max: 30_000 },
      });
    expect(started.status).toBe(202);
    const report = await finished(started.body.id);
    expect(report.intents.failed).toBe(0);
    expect(report.intents.created).toBe(platform.intentsCreated.length);
    expect(report.intents.created).toBeGreaterThan(10);
    expect(report.intents.created).toBeLessThan(90);
    expect(new Set(platform.intentsCreated.map((i) => i.apiKey))).toEqual(new Set(['key-a', 'key-b']));
    expect(platform.intentsCreated.every((i) => i.amount >= 20_000 && i.amount <= 30_000)).toBe(true);
    expect(report.sent + report.skipped).toBe(100);
    expect(platform.verified()).toHaveLength(report.sent);
  });

  it('stops a load run on request', async () => {
    const started = await bank
      .http()
      .post('/sim/load')
      .send({ ratePerSecond: 50, durationSeconds: 600, payloads: [CHECKOUT_QR] });
    await sleep(200);
    const stopped = await bank.http().post(`/sim/load/${started.body.id}/stop`);
    expect(stopped.status).toBe(200);
    const report = await finished(started.body.id);
    expect(report.status).toBe('stopped');
    expect(report.scheduled).toBeLessThan(100);
  });
});
