import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { OutboxRelay, createKafka, producerConfig } from '@cashless/messaging';
import { decodeVietQr } from '@cashless/vietqr';
import { IntentExpiryJob } from '../src/intents/intent-expiry.job';
import { MerchantReadModel } from '../src/merchants/merchant-read-model';
import { officerToken, registerShop, startMerchantApp, streetByName } from '../../merchant/test/merchant-app';
import type { MerchantApp } from '../../merchant/test/merchant-app';
import { paymentOutbox, startPaymentApp } from './payment-app';
import type { PaymentApp } from './payment-app';

/**
 * Payment intents end to end on real PostgreSQL and Kafka: the merchant service (real, own
 * database) registers and approves shops and publishes its events; the payment service consumes
 * them into its read model and authenticates API keys against the merchant service.
 */
describe('payment intents', () => {
  let m: MerchantApp;
  let p: PaymentApp;
  let officer: string;
  let shop: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };

  let producer: Producer;
  let relay: OutboxRelay;

  /**
   * Publishes the merchant service's outbox to the broker. One relay for the suite: a relay keeps
   * the leader lock on its connection, so a second one on the same database would stand by.
   */
  async function relayMerchantEvents(): Promise<void> {
    while ((await relay.relayOnce()) > 0);
  }

  async function merchantStatus(id: string): Promise<string | undefined> {
    const rows = (await p.dataSource.query('SELECT status FROM merchant_view WHERE merchant_id = $1', [id])) as {
      status: string;
    }[];
    return rows[0]?.status;
  }

  async function waitForStatus(id: string, status: string): Promise<void> {
    for (let waited = 0; waited < 60_000; waited += 100) {
      if ((await merchantStatus(id)) === status) return;
      await sleep(100);
    }
    throw new Error(`merchant ${id} never became ${status} in the read model`);
  }

  const create = (apiKey: string, key: string | undefined, body: unknown) => {
    const req = p.http().post('/api/v1/payment-intents').set('authorization', `Bearer ${apiKey}`);
    return (key === undefined ? req : req.set('idempotency-key', key)).send(body as object);
  };

  beforeAll(async () => {
    m = await startMerchantApp('payment_intents_merchant');
    p = await startPaymentApp('payment_intents', await m.app.getUrl());
    officer = await officerToken(m);
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    producer = createKafka({ brokers, clientId: `payment-spec-relay-${randomUUID()}` }).producer(producerConfig);
    await producer.connect();
    relay = new OutboxRelay(m.dataSource, producer);
    const street = await streetByName(m, 'Hùng Vương');
    shop = await registerShop(m, street.id, 51);
    await relayMerchantEvents();
    await waitForStatus(shop.id, 'pending');
  });

  afterAll(async () => {
    await producer?.disconnect();
    await p?.close();
    await m?.close();
  });

  it('refuses intents of a merchant that is not active yet (409, bilingual)', async () => {
    const response = await create(shop.apiKey, randomUUID(), { amount: 50_000 }).expect(409);
    expect(response.body.error).toMatchObject({ code: 'merchant_not_active' });
    expect(response.body.error.messageVi ?? response.body.error.message).toBeTruthy();
  });

  it('creates an intent once the merchant is approved: dynamic VietQR with the code first', async () => {
    await m.http().post(`/api/v1/merchants/${shop.id}/approve`).set('authorization', `Bearer ${officer}`).expect(200);
    await relayMerchantEvents();
    await waitForStatus(shop.id, 'active');

    const response = await create(shop.apiKey, randomUUID(), {
      amount: 125_000,
      orderRef: 'DH-001',
      description: 'Phở bò tái',
    }).expect(201);
    const body = response.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['amount', 'expiresAt', 'id', 'paymentCode', 'qrPayload', 'status']);
    expect(body).toMatchObject({ status: 'requires_payment', amount: 125_000 });
    expect(body.paymentCode).toMatch(/^CS[0-9A-HJKMNP-TV-Z]{8}$/);
    const expiresIn = Date.parse(body.expiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);

    const qr = decodeVietQr(body.qrPayload as string);
    expect(qr.vietqr).toBe(true);
    expect(qr.fields).toBeDefined();
    expect(body.qrPayload as string).toContain(`${body.paymentCode as string} Pho bo tai`);
    expect(body.qrPayload as string).toContain('2000000051');
    expect(body.qrPayload as string).toContain('5406125000');

    const [row] = (await p.dataSource.query('SELECT amount, pg_typeof(amount) AS t FROM payment_intent WHERE id = $1', [
      body.id,
    ])) as { amount: string; t: string }[];
    expect(row).toEqual({ amount: '125000', t: 'bigint' });

    const events = await paymentOutbox(p.dataSource, shop.id);
    expect(events.map((e) => [e.topic, e.type])).toEqual([['payment.events.v1', 'payment.intent_created']]);
    expect(events[0].data).toMatchObject({
      intentId: body.id,
      merchantId: shop.id,
      amount: 125_000,
      orderRef: 'DH-001',
    });
  });

  it('Idempotency-Key: same body → same answer, other body → 422, missing → 400', async () => {
    const key = randomUUID();
    const first = await create(shop.apiKey, key, { amount: 10_000, orderRef: 'A' }).expect(201);
    const again = await create(shop.apiKey, key, { orderRef: 'A', amount: 10_000 }).expect(201);
    expect(again.body).toEqual(first.body);
    const changed = await create(shop.apiKey, key, { amount: 10_001, orderRef: 'A' }).expect(422);
    expect(changed.body.error.code).toBe('idempotency_key_reused');
    await create(shop.apiKey, undefined, { amount: 10_000 }).expect(400);
    const [{ n }] = (await p.dataSource.query('SELECT count(*)::int AS n FROM payment_intent WHERE id = $1', [
      first.body.id,
    ])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('concurrent duplicates create one intent; the others get 409 or the same answer', async () => {
    const key = randomUUID();
    const before = (await paymentOutbox(p.dataSource, shop.id)).length;
    const responses = await Promise.all(Array.from({ length: 8 }, () => create(shop.apiKey, key, { amount: 77_000 })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = responses.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => (r.body as { id: string }).id)).size).toBe(1);
    for (const r of responses.filter((x) => x.status === 409))
      expect(r.body.error.code).toBe('idempotency_in_progress');
    expect((await paymentOutbox(p.dataSource, shop.id)).length).toBe(before + 1);
  });

  it('refuses bad amounts and fields with 400', async () => {
    for (const body of [
      { amount: 0 },
      { amount: -5 },
      { amount: 500_000_000 },
      { amount: 1.5 },
      { amount: '100' },
      {},
      { amount: 1000, expiresInSeconds: 10 },
      { amount: 1000, extra: true },
    ]) {
      const response = await create(shop.apiKey, randomUUID(), body);
      expect([response.status, response.body.error?.code]).toEqual([400, 'validation_failed']);
    }
    await create(shop.apiKey, randomUUID(), { amount: 499_999_999 }).expect(201);
  });

  it('authenticates with the merchant service: no key 401, bad key 401, officer 403, unknown merchant 403', async () => {
    await p.http().post('/api/v1/payment-intents').set('idempotency-key', 'k').send({ amount: 1 }).expect(401);
    await create('csk_' + 'A'.repeat(43), randomUUID(), { amount: 1000 }).expect(401);
    await create(officer, randomUUID(), { amount: 1000 }).expect(403);
    const street = await streetByName(m, 'Hùng Vương');
    other = await registerShop(m, street.id, 52); // not relayed: unknown to payment
    const unknown = await create(other.apiKey, randomUUID(), { amount: 1000 }).expect(403);
    expect(unknown.body.error.code).toBe('merchant_unknown');
  });

  it('reads and cancels own intents only; cancel is repeatable; events written', async () => {
    const { body } = await create(shop.apiKey, randomUUID(), { amount: 20_000 }).expect(201);
    const id = (body as { id: string }).id;
    const read = await p
      .http()
      .get(`/api/v1/payment-intents/${id}`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(200);
    expect(read.body).toMatchObject({ id, status: 'requires_payment', amount: 20_000, merchantId: shop.id });
    await p.http().get(`/api/v1/payment-intents/${id}`).set('authorization', `Bearer ${other.apiKey}`).expect(404);
    await p
      .http()
      .post(`/api/v1/payment-intents/${id}/cancel`)
      .set('authorization', `Bearer ${other.apiKey}`)
      .expect(404);
    await p.http().get('/api/v1/payment-intents/not-a-uuid').set('authorization', `Bearer ${shop.apiKey}`).expect(404);

    const canceled = await p
      .http()
      .post(`/api/v1/payment-intents/${id}/cancel`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(200);
    expect(canceled.body).toMatchObject({ id, status: 'canceled' });
    await p
      .http()
      .post(`/api/v1/payment-intents/${id}/cancel`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(200);
    const events = (await paymentOutbox(p.dataSource, shop.id)).filter((e) => e.data.intentId === id);
    expect(events.map((e) => e.type)).toEqual(['payment.intent_created', 'payment.intent_canceled']);
  });

  it('expires due intents by the job; an expired intent cannot be canceled', async () => {
    const { body } = await create(shop.apiKey, randomUUID(), { amount: 30_000, expiresInSeconds: 60 }).expect(201);
    const id = (body as { id: string }).id;
    const job = p.app.get(IntentExpiryJob);
    expect(await job.tick(new Date(Date.now() + 30_000))).toBe(0);
    expect(await job.tick(new Date(Date.now() + 61_000))).toBeGreaterThanOrEqual(1);
    const read = await p
      .http()
      .get(`/api/v1/payment-intents/${id}`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(200);
    expect(read.body.status).toBe('expired');
    const refused = await p
      .http()
      .post(`/api/v1/payment-intents/${id}/cancel`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(409);
    expect(refused.body.error).toMatchObject({ code: 'intent_not_cancelable', details: { status: 'expired' } });
    const events = (await paymentOutbox(p.dataSource, shop.id)).filter((e) => e.data.intentId === id);
    expect(events.map((e) => e.type)).toEqual(['payment.intent_created', 'payment.intent_expired']);
  });

  it('read model ignores stale updates (order-safe)', async () => {
    const readModel = p.app.get(MerchantReadModel);
    const id = randomUUID();
    const accounts = [{ bankBin: '970436', accountNumber: '123456789', accountName: 'A' }];
    await p.dataSource.transaction(async (em) => {
      await readModel.apply(em, [
        {
          merchantId: id,
          status: 'suspended',
          payoutAccounts: accounts,
          versionAt: '2026-11-26T10:00:00Z',
          versionId: randomUUID(),
        },
      ]);
      const stale = await readModel.apply(em, [
        {
          merchantId: id,
          status: 'active',
          payoutAccounts: [],
          versionAt: '2026-11-26T09:00:00Z',
          versionId: randomUUID(),
        },
      ]);
      expect(stale).toBe(0);
    });
    expect(await readModel.find(id)).toEqual({ merchantId: id, status: 'suspended', payoutAccounts: accounts });
  });

  it('lists own intents newest first with filters and cursor pagination', async () => {
    const orderRef = `LIST-${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { body } = await create(shop.apiKey, randomUUID(), { amount: 10_000 + i, orderRef }).expect(201);
      ids.push((body as { id: string }).id);
    }
    await p
      .http()
      .post(`/api/v1/payment-intents/${ids[1]}/cancel`)
      .set('authorization', `Bearer ${shop.apiKey}`)
      .expect(200);
    const list = (query: Record<string, string | number>, apiKey = shop.apiKey) =>
      p.http().get('/api/v1/payment-intents').query(query).set('authorization', `Bearer ${apiKey}`);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(cursor ? { orderRef, limit: 2, cursor } : { orderRef, limit: 2 }).expect(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.data as { id: string }[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const canceled = await list({ orderRef, status: 'canceled' }).expect(200);
    expect((canceled.body.data as { id: string }[]).map((i) => i.id)).toEqual([ids[1]]);
    const open = await list({ orderRef, status: 'requires_payment,succeeded' }).expect(200);
    expect(open.body.data).toHaveLength(4);
    // Another merchant sees none of them.
    expect((await list({ orderRef }, other.apiKey).expect(200)).body.data).toEqual([]);
    const future = await list({ orderRef, createdFrom: new Date(Date.now() + 60_000).toISOString() }).expect(200);
    expect(future.body).toEqual({ data: [], nextCursor: null });

    const bad = await list({ status: 'paid', limit: 0, cursor: 'nope', sort: 'x' }).expect(400);
    const fields = (bad.body.error.details.fields as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['cursor', 'limit', 'sort', 'status']);
  });

  it('a suspended merchant cannot create intents', async () => {
    await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/suspend`)
      .set('authorization', `Bearer ${officer}`)
      .send({ reason: 'Báo cáo mã QR bị dán đè' })
      .expect(200);
    await relayMerchantEvents();
    await waitForStatus(shop.id, 'suspended');
    const response = await create(shop.apiKey, randomUUID(), { amount: 50_000 }).expect(409);
    expect(response.body.error).toMatchObject({ code: 'merchant_not_active', details: { status: 'suspended' } });
  });
});
