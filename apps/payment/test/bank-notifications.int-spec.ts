import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { signatureHeader } from '@cashless/contracts';
import { OutboxRelay, createKafka, producerConfig } from '@cashless/messaging';
import { sortKeysDeep } from '../src/bank-notifications/providers/casso';
import { payosSignedString } from '../src/bank-notifications/providers/payos';
import { IntentExpiryJob } from '../src/intents/intent-expiry.job';
import { MerchantReadModel } from '../src/merchants/merchant-read-model';
import { officerToken, startMerchantApp, streetByName, validRegistration } from '../../merchant/test/merchant-app';
import type { MerchantApp } from '../../merchant/test/merchant-app';
import { paymentOutbox, startPaymentApp } from './payment-app';
import type { PaymentApp } from './payment-app';

const SECRET = 'dev-bank-webhook-secret';
const SEPAY_KEY = 'sepay-spec-api-key';
const CASSO_KEY = 'casso-spec-checksum-key';
const PAYOS_KEY = 'payos-spec-checksum-key';
const VCB = '970436';
const TABLES = [
  'bank_notification',
  'bank_notification_rejected',
  'payment',
  'unattributed_transfer',
  'outbox_message',
];

/** An account number no earlier run put in the shared merchant topic (the read model replays it all). */
const freshAccount = () => `8${randomInt(100_000_000, 999_999_999)}${randomInt(10, 99)}`;
/** Vietnam local time as SePay, Casso and payOS write it. */
const vietnamNow = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

interface Shop {
  id: string;
  apiKey: string;
  account: string;
}

/**
 * Bank notifications end to end on real PostgreSQL and Kafka: the merchant service registers and
 * approves shops, the payment service learns them from `merchant.events.v1`, intents are created
 * through the API, and notifications arrive signed as each feed signs them.
 */
describe('bank notifications', () => {
  let m: MerchantApp;
  let p: PaymentApp;
  let officer: string;
  let shopA: Shop;
  let shopB: Shop;
  let producer: Producer;
  let relay: OutboxRelay;

  async function registerApproved(streetId: string, n: number): Promise<Shop> {
    const account = freshAccount();
    const response = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        ...validRegistration,
        streetId,
        shopName: `Quán ${n}`,
        phone: `09140000${n}`,
        taxId: `0710${String(n).padStart(8, '0')}`,
        payoutAccounts: [{ bankBin: VCB, accountNumber: account, accountName: 'Le Thi B' }],
      })
      .expect(201);
    const { id, apiKey } = response.body as { id: string; apiKey: string };
    await m.http().post(`/api/v1/merchants/${id}/approve`).set('authorization', `Bearer ${officer}`).expect(200);
    return { id, apiKey, account };
  }

  async function waitForActive(ids: string[]): Promise<void> {
    for (let waited = 0; waited < 90_000; waited += 100) {
      const rows = (await p.dataSource.query(
        `SELECT count(*)::int AS n FROM merchant_view WHERE merchant_id = ANY($1) AND status = 'active'`,
        [ids],
      )) as { n: number }[];
      if (rows[0].n === ids.length) return;
      await sleep(100);
    }
    throw new Error('merchants never became active in the read model');
  }

  async function createIntent(shop: Shop, amount: number, extra: Record<string, unknown> = {}) {
    const response = await p
      .http()
      .post('/api/v1/payment-intents')
      .set('authorization', `Bearer ${shop.apiKey}`)
      .set('idempotency-key', randomUUID())
      .send({ amount, ...extra })
      .expect(201);
    return response.body as { id: string; paymentCode: string; amount: number };
  }

  const transfer = (account: string, amount: number, content: string, patch: Record<string, unknown> = {}) => ({
    id: `SIM-${randomUUID()}`,
    bankBin: VCB,
    accountNumber: account,
    amount,
    content,
    transferredAt: new Date().toISOString(),
    payerName: 'NGUYEN VAN A',
    payerAccount: '0011223344',
    ...patch,
  });

  function sendGeneric(body: unknown, options: { secret?: string; t?: number; raw?: string } = {}) {
    const raw = options.raw ?? JSON.stringify(body);
    return p
      .http()
      .post('/api/v1/bank-notifications/generic')
      .set('content-type', 'application/json')
      .set('x-signature', signatureHeader(options.secret ?? SECRET, raw, options.t))
      .send(raw);
  }

  async function intentStatus(id: string): Promise<string> {
    const [row] = (await p.dataSource.query('SELECT status FROM payment_intent WHERE id = $1', [id])) as {
      status: string;
    }[];
    return row.status;
  }

  async function paymentsOf(notificationId: string) {
    return (await p.dataSource.query(
      `SELECT merchant_id, channel, outcome, intent_id, amount, expected_amount, payment_code
       FROM payment WHERE notification_id = $1`,
      [notificationId],
    )) as Record<string, unknown>[];
  }

  async function eventsFor(key: string, notificationId: string) {
    return (await paymentOutbox(p.dataSource, key)).filter(
      (e) => (e.data.transfer as { notificationId?: string } | undefined)?.notificationId === notificationId,
    );
  }

  async function counts(): Promise<number[]> {
    const out: number[] = [];
    for (const table of TABLES) {
      const [{ n }] = (await p.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
      out.push(n);
    }
    return out;
  }

  beforeAll(async () => {
    process.env.SEPAY_API_KEY = SEPAY_KEY;
    process.env.CASSO_CHECKSUM_KEY = CASSO_KEY;
    process.env.PAYOS_CHECKSUM_KEY = PAYOS_KEY;
    m = await startMerchantApp('bank_notifications_merchant');
    p = await startPaymentApp('bank_notifications', await m.app.getUrl());
    officer = await officerToken(m);
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    producer = createKafka({ brokers, clientId: `bank-notifications-spec-${randomUUID()}` }).producer(producerConfig);
    await producer.connect();
    relay = new OutboxRelay(m.dataSource, producer);
    const street = await streetByName(m, 'Lê Duẩn');
    shopA = await registerApproved(street.id, 81);
    shopB = await registerApproved(street.id, 82);
    while ((await relay.relayOnce()) > 0);
    await waitForActive([shopA.id, shopB.id]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await p?.close();
    await m?.close();
    delete process.env.SEPAY_API_KEY;
    delete process.env.CASSO_CHECKSUM_KEY;
    delete process.env.PAYOS_CHECKSUM_KEY;
  });

  describe('matching', () => {
    it('a signed generic notification pays an intent: succeeded, payment row, event, raw body kept', async () => {
      const intent = await createIntent(shopA, 50_000, { orderRef: 'DH-42' });
      const body = transfer(shopA.account, 50_000, `MBVCB.3278907687.${intent.paymentCode} Pho bo.CT tu 0011223344`);
      const raw = JSON.stringify(body);
      const response = await sendGeneric(body, { raw }).expect(200);
      expect(response.body).toEqual({
        status: 'accepted',
        id: expect.any(String),
        outcome: 'succeeded',
        paymentId: expect.any(String),
      });
      const id = response.body.id as string;
      expect(await intentStatus(intent.id)).toBe('succeeded');
      expect(await paymentsOf(id)).toEqual([
        {
          merchant_id: shopA.id,
          channel: 'dynamic_qr',
          outcome: 'succeeded',
          intent_id: intent.id,
          amount: '50000',
          expected_amount: '50000',
          payment_code: intent.paymentCode,
        },
      ]);
      const events = await eventsFor(shopA.id, id);
      expect(events.map((e) => e.type)).toEqual(['payment.intent_succeeded']);
      expect(events[0].data).toMatchObject({
        paymentId: response.body.paymentId,
        merchantId: shopA.id,
        channel: 'dynamic_qr',
        outcome: 'succeeded',
        intentId: intent.id,
        intentStatus: 'succeeded',
        expectedAmount: 50_000,
        paymentCode: intent.paymentCode,
        orderRef: 'DH-42',
        transfer: {
          notificationId: id,
          provider: 'generic',
          providerTransactionId: body.id,
          bankBin: VCB,
          accountNumber: shopA.account,
          amount: 50_000,
          payerName: 'NGUYEN VAN A',
        },
      });
      const [stored] = (await p.dataSource.query(
        `SELECT convert_from(raw_body, 'UTF8') AS raw, headers->>'content-type' AS ct, headers ? 'x-signature' AS signed,
                amount, pg_typeof(amount)::text AS t FROM bank_notification WHERE id = $1`,
        [id],
      )) as { raw: string; ct: string; signed: boolean; amount: string; t: string }[];
      expect(stored).toEqual({ raw, ct: 'application/json', signed: true, amount: '50000', t: 'bigint' });
    });

    it('underpaid, then a second transfer adds up to succeeded; more than asked → overpaid', async () => {
      const intent = await createIntent(shopA, 100_000);
      const first = await sendGeneric(transfer(shopA.account, 60_000, `${intent.paymentCode} lan 1`)).expect(200);
      expect(first.body.outcome).toBe('underpaid');
      expect(await intentStatus(intent.id)).toBe('underpaid');
      const second = await sendGeneric(
        transfer(shopA.account, 40_000, `cs ${intent.paymentCode.slice(2)} lan 2`),
      ).expect(200);
      expect(second.body.outcome).toBe('succeeded');
      expect(await intentStatus(intent.id)).toBe('succeeded');
      expect((await eventsFor(shopA.id, second.body.id as string))[0].data).toMatchObject({
        outcome: 'succeeded',
        intentStatus: 'succeeded',
        expectedAmount: 100_000,
        transfer: { amount: 40_000 },
      });

      const over = await createIntent(shopA, 30_000);
      const response = await sendGeneric(transfer(shopA.account, 35_000, over.paymentCode.toLowerCase())).expect(200);
      expect(response.body.outcome).toBe('overpaid');
      expect(await intentStatus(over.id)).toBe('overpaid');
      expect((await eventsFor(shopA.id, response.body.id as string)).map((e) => e.type)).toEqual([
        'payment.intent_overpaid',
      ]);
    });

    it('money after expiry or cancel, or for a settled intent, is recorded as needs_review (never lost)', async () => {
      const expiring = await createIntent(shopA, 20_000, { expiresInSeconds: 60 });
      await p.app.get(IntentExpiryJob).tick(new Date(Date.now() + 61_000));
      expect(await intentStatus(expiring.id)).toBe('expired');
      const late = await sendGeneric(transfer(shopA.account, 20_000, expiring.paymentCode)).expect(200);
      expect(late.body.outcome).toBe('needs_review');
      expect(await intentStatus(expiring.id)).toBe('needs_review');
      expect((await eventsFor(shopA.id, late.body.id as string)).map((e) => [e.type, e.data.intentStatus])).toEqual([
        ['payment.payment_needs_review', 'needs_review'],
      ]);

      const canceled = await createIntent(shopA, 20_000);
      await p
        .http()
        .post(`/api/v1/payment-intents/${canceled.id}/cancel`)
        .set('authorization', `Bearer ${shopA.apiKey}`)
        .expect(200);
      const afterCancel = await sendGeneric(transfer(shopA.account, 20_000, canceled.paymentCode)).expect(200);
      expect(afterCancel.body.outcome).toBe('needs_review');
      expect(await intentStatus(canceled.id)).toBe('needs_review');

      const paid = await createIntent(shopA, 15_000);
      await sendGeneric(transfer(shopA.account, 15_000, paid.paymentCode)).expect(200);
      const again = await sendGeneric(transfer(shopA.account, 15_000, paid.paymentCode)).expect(200);
      expect(again.body.outcome).toBe('needs_review');
      expect(await intentStatus(paid.id)).toBe('succeeded');
      const [{ n }] = (await p.dataSource.query('SELECT count(*)::int AS n FROM payment WHERE intent_id = $1', [
        paid.id,
      ])) as { n: number }[];
      expect(n).toBe(2);
      expect((await eventsFor(shopA.id, again.body.id as string))[0].data).toMatchObject({
        outcome: 'needs_review',
        intentStatus: 'succeeded',
      });
    });

    it('no code, a registered payout account → static-QR payment of that merchant', async () => {
      const response = await sendGeneric(transfer(shopB.account, 25_000, 'NGUYEN VAN A chuyen tien')).expect(200);
      expect(response.body).toMatchObject({ status: 'accepted', outcome: 'static' });
      expect(await paymentsOf(response.body.id as string)).toEqual([
        {
          merchant_id: shopB.id,
          channel: 'static_qr',
          outcome: 'static',
          intent_id: null,
          amount: '25000',
          expected_amount: null,
          payment_code: null,
        },
      ]);
      expect((await eventsFor(shopB.id, response.body.id as string)).map((e) => e.type)).toEqual([
        'payment.static_payment_received',
      ]);
    });

    it('unknown account, another merchant’s account, a shared account → unattributed with its event', async () => {
      const unknown = await sendGeneric(transfer(freshAccount(), 10_000, 'chuyen tien')).expect(200);
      expect(unknown.body).toMatchObject({ status: 'accepted', outcome: 'unattributed', reason: 'unknown_account' });
      const notificationId = unknown.body.id as string;
      const events = await paymentOutbox(p.dataSource, `transfer:${notificationId}`);
      expect(events.map((e) => e.type)).toEqual(['payment.unattributed_transfer_received']);
      expect(events[0].data).toMatchObject({
        unattributedId: unknown.body.unattributedId,
        reason: 'unknown_account',
        transfer: { notificationId, amount: 10_000 },
      });
      expect(await paymentsOf(notificationId)).toEqual([]);

      const intent = await createIntent(shopA, 40_000);
      const mismatch = await sendGeneric(transfer(shopB.account, 40_000, intent.paymentCode)).expect(200);
      expect(mismatch.body).toMatchObject({ outcome: 'unattributed', reason: 'account_mismatch' });
      expect(await intentStatus(intent.id)).toBe('requires_payment');
      const [entry] = (await p.dataSource.query('SELECT intent_id FROM unattributed_transfer WHERE id = $1', [
        mismatch.body.unattributedId,
      ])) as { intent_id: string }[];
      expect(entry.intent_id).toBe(intent.id);

      const shared = freshAccount();
      const readModel = p.app.get(MerchantReadModel);
      await p.dataSource.transaction((em) =>
        readModel.apply(
          em,
          [randomUUID(), randomUUID()].map((merchantId) => ({
            merchantId,
            status: 'active',
            payoutAccounts: [{ bankBin: VCB, accountNumber: shared, accountName: 'CHUNG' }],
            versionAt: new Date().toISOString(),
            versionId: randomUUID(),
          })),
        ),
      );
      const sharedAnswer = await sendGeneric(transfer(shared, 12_000, 'tien hang')).expect(200);
      expect(sharedAnswer.body).toMatchObject({ outcome: 'unattributed', reason: 'shared_account' });
    });

    it('a suspended merchant’s transfers are still recorded', async () => {
      const readModel = p.app.get(MerchantReadModel);
      const suspended = { id: randomUUID(), account: freshAccount() };
      await p.dataSource.transaction((em) =>
        readModel.apply(em, [
          {
            merchantId: suspended.id,
            status: 'suspended',
            payoutAccounts: [{ bankBin: VCB, accountNumber: suspended.account, accountName: 'TAM NGUNG' }],
            versionAt: new Date().toISOString(),
            versionId: randomUUID(),
          },
        ]),
      );
      const response = await sendGeneric(transfer(suspended.account, 9_000, 'mua hang')).expect(200);
      expect(response.body.outcome).toBe('static');
      expect((await paymentsOf(response.body.id as string))[0]).toMatchObject({ merchant_id: suspended.id });
    });
  });

  describe('intake rules', () => {
    it('the same notification 5× concurrently: one accepted, one payment, one success event', async () => {
      const intent = await createIntent(shopA, 70_000);
      const body = transfer(shopA.account, 70_000, `IBFT ${intent.paymentCode}`);
      const responses = await Promise.all(Array.from({ length: 5 }, () => sendGeneric(body)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const statuses = responses.map((r) => r.body.status as string).sort();
      expect(statuses).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      const ids = new Set(responses.map((r) => r.body.id as string));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      expect(await paymentsOf(id)).toHaveLength(1);
      expect((await eventsFor(shopA.id, id)).map((e) => e.type)).toEqual(['payment.intent_succeeded']);
      // A later redelivery is a duplicate too.
      expect((await sendGeneric(body).expect(200)).body).toEqual({ status: 'duplicate', id });
    });

    it('forged, stale or missing signatures → 401 and nothing stored anywhere', async () => {
      const before = await counts();
      const body = transfer(shopA.account, 10_000, 'CS00000000');
      for (const response of [
        await sendGeneric(body, { secret: 'forged-secret-value' }),
        await sendGeneric(body, { t: Math.floor(Date.now() / 1000) - 301 }),
        await sendGeneric(body, { t: Math.floor(Date.now() / 1000) + 301 }),
        await p.http().post('/api/v1/bank-notifications/generic').set('content-type', 'application/json').send(body),
        await sendGeneric(body, { raw: 'not json at all', secret: 'forged-secret-value' }),
      ]) {
        expect(response.status).toBe(401);
        expect(response.body.error).toMatchObject({ code: 'signature_invalid', messageVi: expect.any(String) });
      }
      expect(await counts()).toEqual(before);
    });

    it('malformed but authentic → 400 with field reasons, raw body kept for inspection', async () => {
      const raw = '{"id": "X-1", "amount": 5';
      const invalidJson = await sendGeneric(null, { raw }).expect(400);
      expect(invalidJson.body.error).toMatchObject({
        code: 'validation_failed',
        details: { fields: [{ field: 'body' }] },
      });
      const bad = { ...transfer(shopA.account, 1000, 'x'), bankBin: 'VCB', transferredAt: 'yesterday' };
      const response = await sendGeneric(bad).expect(400);
      const fields = (response.body.error.details.fields as { field: string; message: { vi: string; en: string } }[])
        .map((f) => f.field)
        .sort();
      expect(fields).toEqual(['bankBin', 'transferredAt']);
      const rows = (await p.dataSource.query(
        `SELECT reason, details, convert_from(raw_body, 'UTF8') AS raw, raw_size, headers
         FROM bank_notification_rejected WHERE provider = 'generic' ORDER BY received_at DESC LIMIT 2`,
      )) as { reason: string; details: { fields: unknown[] }; raw: string; raw_size: number; headers: object }[];
      expect(rows.map((r) => r.reason).sort()).toEqual(['invalid_json', 'validation_failed']);
      expect(rows.find((r) => r.reason === 'invalid_json')).toMatchObject({ raw, raw_size: raw.length });
      expect(rows[0].headers).toHaveProperty('x-signature');
      expect(rows[0].headers).not.toHaveProperty('authorization');
      expect(await p.dataSource.query('SELECT 1 FROM bank_notification WHERE provider_txn_id = $1', [bad.id])).toEqual(
        [],
      );
    });

    it('amounts 0, -1, 1.5 and 500,000,000 → 400 on the amount field', async () => {
      for (const amount of [0, -1, 1.5, 500_000_000]) {
        const response = await sendGeneric(transfer(shopA.account, amount, 'x')).expect(400);
        expect(response.body.error.details.fields).toEqual([
          { field: 'amount', message: { vi: expect.any(String), en: expect.stringContaining('500,000,000') } },
        ]);
      }
      await sendGeneric(transfer(shopA.account, 499_999_999, 'x')).expect(200);
    });

    it('a body over 64 KB → 413, an unknown provider → 404, never 5xx', async () => {
      const url = await p.app.getUrl();
      const big = transfer(shopA.account, 1000, 'x'.repeat(70 * 1024));
      const tooLarge = await sendGeneric(big);
      expect(tooLarge.status).toBe(413);
      // Without Content-Length (chunked), the limit applies while reading.
      const raw = Buffer.from(JSON.stringify(big));
      const chunked = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          new URL('/api/v1/bank-notifications/generic', url),
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-signature': signatureHeader(SECRET, raw) },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        request.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
        });
        for (let at = 0; at < raw.length; at += 8 * 1024) request.write(raw.subarray(at, at + 8 * 1024));
        request.end();
      });
      expect(chunked).toBe(413);
      const unknown = await p.http().post('/api/v1/bank-notifications/momo').send({}).expect(404);
      expect(unknown.body.error.code).toBe('unknown_provider');
    });
  });

  describe('provider feeds end to end', () => {
    it('SePay: Apikey header, documented payload shape, {"success": true}; outgoing ignored', async () => {
      const intent = await createIntent(shopA, 45_000);
      const payload = {
        id: randomInt(1, 2 ** 31),
        gateway: 'Vietcombank',
        transactionDate: vietnamNow(),
        accountNumber: shopA.account,
        code: null,
        content: `${intent.paymentCode} Thanh toan don hang`,
        transferType: 'in',
        transferAmount: 45_000,
        accumulated: 19_077_000,
        subAccount: null,
        referenceCode: 'MBVCB.3278907687',
        description: '',
      };
      const send = (body: unknown, key = SEPAY_KEY) =>
        p
          .http()
          .post('/api/v1/bank-notifications/sepay')
          .set('authorization', `Apikey ${key}`)
          .send(body as object);
      const accepted = await send(payload).expect(200);
      expect(accepted.body).toMatchObject({ success: true, status: 'accepted', outcome: 'succeeded' });
      expect(await intentStatus(intent.id)).toBe('succeeded');
      expect((await send(payload).expect(200)).body).toMatchObject({ success: true, status: 'duplicate' });
      await send(payload, 'wrong-sepay-key').expect(401);
      const out = await send({ ...payload, id: payload.id + 1, transferType: 'out' }).expect(200);
      expect(out.body).toMatchObject({ success: true, status: 'ignored', reason: 'outgoing' });
      expect(await paymentsOf(out.body.id as string)).toEqual([]);
    });

    it('Casso v2: X-Casso-Signature HMAC-SHA512 over t + key-sorted JSON', async () => {
      const intent = await createIntent(shopA, 61_000);
      const body = {
        error: 0,
        data: {
          id: randomInt(1, 2 ** 31),
          reference: `FT${randomInt(1e9, 9e9)}`,
          description: `${intent.paymentCode.toLowerCase()} chuyển tiền`,
          amount: 61_000,
          runningBalance: 25_000_000,
          transactionDateTime: vietnamNow(),
          accountNumber: shopA.account,
          bankName: 'Vietcombank',
          bankAbbreviation: 'VCB',
          virtualAccountNumber: '',
          virtualAccountName: '',
          counterAccountName: 'NGUYEN VAN A',
          counterAccountNumber: '8888888888',
          counterAccountBankId: '970415',
          counterAccountBankName: 'VietinBank',
        },
      };
      const t = Date.now();
      const v1 = createHmac('sha512', CASSO_KEY)
        .update(`${t}.${JSON.stringify(sortKeysDeep(body))}`)
        .digest('hex');
      const response = await p
        .http()
        .post('/api/v1/bank-notifications/casso')
        .set('x-casso-signature', `t=${t},v1=${v1}`)
        .send(body)
        .expect(200);
      expect(response.body).toMatchObject({ success: true, status: 'accepted', outcome: 'succeeded' });
      expect((await eventsFor(shopA.id, response.body.id as string))[0].data).toMatchObject({
        transfer: { provider: 'casso', bankBin: VCB, payerName: 'NGUYEN VAN A', payerAccount: '8888888888' },
      });
      await p
        .http()
        .post('/api/v1/bank-notifications/casso')
        .set('x-casso-signature', `t=${t - 400_000},v1=${v1}`)
        .send(body)
        .expect(401);
    });

    it('payOS: signature over data, receiving bank taken from the intent', async () => {
      const intent = await createIntent(shopA, 33_000);
      const data = {
        orderCode: randomInt(1, 1e9),
        amount: 33_000,
        description: `${intent.paymentCode} Pho`,
        accountNumber: shopA.account,
        reference: `TF${randomInt(1e9, 9e9)}`,
        transactionDateTime: vietnamNow(),
        currency: 'VND',
        paymentLinkId: randomUUID().replace(/-/g, ''),
        code: '00',
        desc: 'Thành công',
        counterAccountBankId: '',
        counterAccountBankName: '',
        counterAccountName: '',
        counterAccountNumber: '',
        virtualAccountName: '',
        virtualAccountNumber: '',
      };
      const signature = createHmac('sha256', PAYOS_KEY).update(payosSignedString(data)).digest('hex');
      const body = { code: '00', desc: 'success', success: true, data, signature };
      const response = await p.http().post('/api/v1/bank-notifications/payos').send(body).expect(200);
      expect(response.body).toMatchObject({ success: true, status: 'accepted', outcome: 'succeeded' });
      expect(await intentStatus(intent.id)).toBe('succeeded');
      expect((await eventsFor(shopA.id, response.body.id as string))[0].data).toMatchObject({
        transfer: { provider: 'payos', bankBin: VCB, providerTransactionId: `${data.paymentLinkId}:${data.reference}` },
      });
      await p
        .http()
        .post('/api/v1/bank-notifications/payos')
        .send({ ...body, data: { ...data, amount: 34_000 } })
        .expect(401);
    });
  });

  describe('unattributed queue (officers)', () => {
    async function queued(): Promise<{ id: string; notificationId: string }> {
      const response = await sendGeneric(transfer(freshAccount(), 11_000, 'chuyen nham')).expect(200);
      return { id: response.body.unattributedId as string, notificationId: response.body.id as string };
    }
    const asOfficerPost = (path: string) => p.http().post(path).set('authorization', `Bearer ${officer}`);

    it('lists newest first with cursor pagination and a status filter; reads one', async () => {
      const ids = [(await queued()).id, (await queued()).id, (await queued()).id];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await p
          .http()
          .get('/api/v1/unattributed-transfers')
          .query(cursor ? { status: 'open', limit: 2, cursor } : { status: 'open', limit: 2 })
          .set('authorization', `Bearer ${officer}`)
          .expect(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.data as { id: string; status: string }[]).map((e) => e.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen.slice(0, 3)).toEqual([...ids].reverse());
      const one = await p
        .http()
        .get(`/api/v1/unattributed-transfers/${ids[0]}`)
        .set('authorization', `Bearer ${officer}`)
        .expect(200);
      expect(one.body).toMatchObject({
        id: ids[0],
        status: 'open',
        reason: 'unknown_account',
        transfer: { amount: 11_000 },
      });
      const bad = await p
        .http()
        .get('/api/v1/unattributed-transfers')
        .query({ status: 'nope', limit: 0, cursor: 'zz' })
        .set('authorization', `Bearer ${officer}`)
        .expect(400);
      expect((bad.body.error.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
        'cursor',
        'limit',
        'status',
      ]);
    });

    it('officers only: a merchant key gets 403, no credentials 401', async () => {
      await p.http().get('/api/v1/unattributed-transfers').set('authorization', `Bearer ${shopA.apiKey}`).expect(403);
      await p.http().get('/api/v1/unattributed-transfers').expect(401);
    });

    it('assign: a static-QR payment for the merchant, audited, one assigned event with the same key', async () => {
      const entry = await queued();
      await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/assign`)
        .send({ merchantId: randomUUID() })
        .expect(400);
      const response = await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/assign`)
        .send({ merchantId: shopB.id, note: 'Khách chuyển nhầm số tài khoản cũ' })
        .expect(200);
      expect(response.body).toMatchObject({
        id: entry.id,
        status: 'assigned',
        merchantId: shopB.id,
        officer: 'admin',
        note: 'Khách chuyển nhầm số tài khoản cũ',
        paymentId: expect.any(String),
      });
      expect(await paymentsOf(entry.notificationId)).toEqual([
        {
          merchant_id: shopB.id,
          channel: 'static_qr',
          outcome: 'static',
          intent_id: null,
          amount: '11000',
          expected_amount: null,
          payment_code: null,
        },
      ]);
      const events = await paymentOutbox(p.dataSource, `transfer:${entry.notificationId}`);
      expect(events.map((e) => e.type)).toEqual([
        'payment.unattributed_transfer_received',
        'payment.unattributed_transfer_assigned',
      ]);
      expect(events[1].data).toMatchObject({
        unattributedId: entry.id,
        paymentId: response.body.paymentId,
        merchantId: shopB.id,
        officer: 'admin',
      });
      // Announced by the assigned event only: no static_payment_received for it.
      expect(await eventsFor(shopB.id, entry.notificationId)).toEqual([]);
      const audit = (await p.dataSource.query(
        'SELECT actor, action, details FROM payment_audit_log WHERE subject = $1',
        [`unattributed_transfer:${entry.id}`],
      )) as { actor: string; action: string; details: Record<string, unknown> }[];
      expect(audit).toEqual([
        {
          actor: 'admin',
          action: 'unattributed_transfer.assign',
          details: expect.objectContaining({ merchantId: shopB.id, paymentId: response.body.paymentId }),
        },
      ]);
      const again = await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/dismiss`)
        .send({ reason: 'test' })
        .expect(409);
      expect(again.body.error).toMatchObject({ code: 'unattributed_already_decided', messageVi: expect.any(String) });
    });

    it('dismiss: audited, one dismissed event; only open entries; the log is append-only', async () => {
      const entry = await queued();
      await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/dismiss`).send({ reason: '' }).expect(400);
      const response = await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/dismiss`)
        .send({ reason: 'Giao dịch thử của ngân hàng' })
        .expect(200);
      expect(response.body).toMatchObject({ status: 'dismissed', dismissReason: 'Giao dịch thử của ngân hàng' });
      const events = await paymentOutbox(p.dataSource, `transfer:${entry.notificationId}`);
      expect(events.map((e) => e.type)).toEqual([
        'payment.unattributed_transfer_received',
        'payment.unattributed_transfer_dismissed',
      ]);
      await asOfficerPost(`/api/v1/unattributed-transfers/${entry.id}/assign`)
        .send({ merchantId: shopB.id })
        .expect(409);
      await expect(p.dataSource.query('DELETE FROM payment_audit_log')).rejects.toThrow(/append-only/);
      await p
        .http()
        .get(`/api/v1/unattributed-transfers/${randomUUID()}`)
        .set('authorization', `Bearer ${officer}`)
        .expect(404);
    });
  });
});
