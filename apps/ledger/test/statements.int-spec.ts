import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { producerConfig } from '@cashless/messaging';
import { vietnamDate } from '../src/statements/statement';
import type { Statement } from '../src/statements/statement';
import { LedgerApp, countRows, createTestTopic, eventually, publish, startLedgerApp, testKafka } from './ledger-app';
import { bankTransfer, paymentRecorded, unattributedAssigned, unattributedReceived } from './payment-events';

/**
 * Balances and daily statements from payment events posted through real Kafka into the ledger's
 * real PostgreSQL database, with a refund recorded through the API.
 */
describe('ledger: balances and daily statements (real PostgreSQL and Kafka)', () => {
  let producer: Producer;
  let ledger: LedgerApp;
  const shop = randomUUID();
  const officer = { authorization: 'Bearer officer' };
  const owner = { authorization: `Bearer merchant:${shop}` };
  // 2026-11-20 in Vietnam is 2026-11-19T17:00Z … 2026-11-20T17:00Z.
  const dayBefore = bankTransfer({
    amount: 10_000,
    transferredAt: '2026-11-19T09:00:00.000Z',
    receivedAt: '2026-11-19T09:00:01.000Z',
  });
  const dynamic = bankTransfer({
    amount: 120_000,
    transferredAt: '2026-11-19T17:30:00.000Z',
    receivedAt: '2026-11-19T17:30:01.000Z',
  });
  const staticQr = bankTransfer({ amount: 35_000, transferredAt: '2026-11-20T05:00:00.000Z', payerName: 'TRẦN THỊ B' });
  const queued = bankTransfer({ amount: 9_000, transferredAt: '2026-11-20T06:00:00.000Z' });
  const nextDay = bankTransfer({ amount: 5_000, transferredAt: '2026-11-20T17:00:00.000Z' });
  let dynamicPaymentId: string;

  beforeAll(async () => {
    const kafka = testKafka('ledger-statements-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    const topic = await createTestTopic(kafka, 'ledger-statements', 1);
    ledger = await startLedgerApp('ledger_statements', topic);
    const dynamicEvent = paymentRecorded(shop, dynamic);
    dynamicPaymentId = dynamicEvent.data.paymentId;
    await publish(producer, topic, [
      paymentRecorded(shop, dayBefore, { outcome: 'static' }),
      dynamicEvent,
      paymentRecorded(shop, staticQr, { outcome: 'static' }),
      unattributedReceived(queued),
      unattributedAssigned(queued, shop, { assignedAt: '2026-11-20T07:00:00.000Z' }),
      paymentRecorded(shop, nextDay, { outcome: 'static' }),
    ]);
    await eventually(
      () => countRows(ledger.dataSource, 'SELECT count(*) AS n FROM ledger_transaction'),
      (n) => n === 6,
    );
    await ledger
      .http()
      .post('/api/v1/ledger/refunds')
      .set({ ...owner, 'idempotency-key': 'statement-refund' })
      .send({ merchantId: shop, paymentId: dynamicPaymentId, amount: 20_000, reason: 'khách trả hàng' })
      .expect(201);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await ledger?.close();
  });

  const statement = async (date: string, auth: Record<string, string> = owner) =>
    (await ledger.http().get(`/api/v1/merchants/${shop}/statement?date=${date}`).set(auth).expect(200))
      .body as Statement;

  it('answers the balance now and at a past instant', async () => {
    const now = await ledger.http().get(`/api/v1/merchants/${shop}/balance`).set(owner).expect(200);
    expect(now.body).toEqual({ merchantId: shop, balance: 10_000 + 120_000 + 35_000 + 9_000 + 5_000 - 20_000 });
    const past = await ledger
      .http()
      .get(`/api/v1/merchants/${shop}/balance?asOf=2026-11-20T06:30:00.000Z`)
      .set(officer)
      .expect(200);
    // The queued transfer counts from its assignment (07:00Z), not its arrival.
    expect(past.body).toEqual({
      merchantId: shop,
      balance: 10_000 + 120_000 + 35_000,
      asOf: '2026-11-20T06:30:00.000Z',
    });
  });

  it('totals a day by channel, with opening and closing balances and the entries', async () => {
    const s = await statement('2026-11-20');
    expect(s).toMatchObject({
      merchantId: shop,
      date: '2026-11-20',
      timeZone: 'Asia/Ho_Chi_Minh',
      from: '2026-11-19T17:00:00.000Z',
      to: '2026-11-20T17:00:00.000Z',
      openingBalance: 10_000,
      net: 164_000,
      closingBalance: 174_000,
      totals: {
        dynamic_qr: { count: 1, value: 120_000 },
        static_qr: { count: 2, value: 44_000 },
        refunds: { count: 0, value: 0 },
      },
    });
    expect(s.entries.map((e) => [e.channel, e.amount])).toEqual([
      ['dynamic_qr', 120_000],
      ['static_qr', 35_000],
      ['static_qr', 9_000],
    ]);
    expect(s.entries[0]).toMatchObject({
      paymentId: dynamicPaymentId,
      paymentCode: 'CS123',
      payerName: 'NGUYEN VAN A',
    });
    expect(s.entries[1]).toMatchObject({ payerName: 'TRẦN THỊ B', paymentCode: null });
  });

  it('shows a refund on the day it was recorded, as money paid back', async () => {
    const today = vietnamDate(new Date());
    const s = await statement(today, officer);
    expect(s.totals.refunds).toEqual({ count: 1, value: 20_000 });
    expect(s.net).toBe(-20_000);
    expect(s.openingBalance).toBe(179_000);
    expect(s.closingBalance).toBe(159_000);
    expect(s.entries).toEqual([expect.objectContaining({ channel: 'refunds', amount: -20_000, rule: 'refund' })]);
  });

  it('is zeros, not 404, for a day without activity', async () => {
    const s = await statement('2026-01-01');
    expect(s).toMatchObject({ openingBalance: 0, closingBalance: 0, net: 0, entries: [] });
    expect(s.totals.dynamic_qr).toEqual({ count: 0, value: 0 });
  });

  it('exports the statement as CSV for Vietnamese spreadsheets', async () => {
    const response = await ledger
      .http()
      .get(`/api/v1/merchants/${shop}/statement.csv?date=2026-11-20`)
      .set(owner)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="sao-ke-statement-2026-11-20-${shop}.csv"`,
    );
    const text = response.body as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toContain('QR tĩnh / Static QR,2 giao dịch / transactions,44000');
    expect(lines).toContain('Số dư cuối ngày / Closing balance (VND),174000');
    expect(lines.some((l) => l.startsWith('2026-11-20 12:00:00,QR tĩnh / Static QR,35000,,,TRẦN THỊ B,'))).toBe(true);
  });

  it('refuses a bad or future date with a bilingual field error, and hides other shops', async () => {
    for (const date of ['2026-02-30', 'hôm qua', '']) {
      const bad = await ledger
        .http()
        .get(`/api/v1/merchants/${shop}/statement?date=${encodeURIComponent(date)}`)
        .set(owner)
        .expect(400);
      expect(bad.body.error.details.fields).toEqual([
        { field: 'date', message: { vi: expect.any(String), en: expect.stringMatching(/YYYY-MM-DD/) } },
      ]);
    }
    const future = vietnamDate(new Date(Date.now() + 2 * 24 * 3_600_000));
    const late = await ledger.http().get(`/api/v1/merchants/${shop}/statement?date=${future}`).set(owner).expect(400);
    expect(late.body.error.details.fields[0].message.en).toMatch(/not started/);
    await ledger
      .http()
      .get(`/api/v1/merchants/${shop}/statement?date=2026-11-20`)
      .set({ authorization: `Bearer merchant:${randomUUID()}` })
      .expect(404);
    await ledger.http().get(`/api/v1/merchants/${shop}/statement.csv?date=2026-11-20`).expect(401);
  });
});
