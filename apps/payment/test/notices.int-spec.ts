import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { verifySignatureHeader } from '@cashless/contracts';
import type { PaymentRecordedData } from '@cashless/contracts';
import { LiveFeed } from '../src/notices/live-feed.service';
import { PaymentNotices } from '../src/notices/payment-notices';
import { WebhookDeliveries } from '../src/notices/webhook-deliveries.service';
import { officerToken, registerShop, startMerchantApp, streetByName } from '../../merchant/test/merchant-app';
import type { MerchantApp } from '../../merchant/test/merchant-app';
import { openSse } from '../../../tools/sse-client';
import type { SseStream } from '../../../tools/sse-client';
import { startPaymentApp } from './payment-app';
import type { PaymentApp } from './payment-app';

/**
 * Instant notice to shop owners on real PostgreSQL: payments are recorded the way matching records
 * them (PaymentNotices.paymentRecorded inside the recording transaction); the live feed is read as
 * a browser's EventSource would, webhooks are received by a local HTTP server that checks the
 * signature. The merchant service is real (it authenticates API keys and officer tokens).
 */

// Workers off: the specs move time on with deliverDue(now). A short timeout keeps the hanging-receiver case quick.
process.env.WEBHOOK_DELIVERY_INTERVAL_MS = '0';
process.env.WEBHOOK_TIMEOUT_MS = '300';

/** A confirmed payment as matching records it. */
function payment(
  merchantId: string,
  amount: number,
  overrides: Partial<PaymentRecordedData> = {},
): PaymentRecordedData {
  const now = new Date();
  return {
    paymentId: randomUUID(),
    merchantId,
    channel: 'dynamic_qr',
    outcome: 'succeeded',
    intentId: randomUUID(),
    intentStatus: 'succeeded',
    expectedAmount: amount,
    paymentCode: 'CS7K2M9QXA',
    orderRef: 'BAN-05',
    transfer: {
      notificationId: randomUUID(),
      provider: 'generic',
      providerTransactionId: `FT${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      bankBin: '970436',
      accountNumber: '2000000061',
      amount,
      content: 'CS7K2M9QXA chuyen tien',
      transferredAt: new Date(now.getTime() - 1_000).toISOString(),
      receivedAt: now.toISOString(),
      payerName: 'NGUYEN THI MAI',
      payerAccount: '0123456789',
      reference: 'FT25335ABC',
    },
    recordedAt: now.toISOString(),
    ...overrides,
  };
}

describe('instant notice to shop owners', () => {
  let m: MerchantApp;
  let p: PaymentApp;
  let baseUrl: string;
  let officer: string;
  let notices: PaymentNotices;
  let deliveries: WebhookDeliveries;
  const shops: { id: string; apiKey: string }[] = [];
  let nextShop = 61;

  const newShop = async () => {
    const street = await streetByName(m, 'Hùng Vương');
    const shop = await registerShop(m, street.id, nextShop++);
    shops.push(shop);
    return shop;
  };

  /** Records payments in one committed transaction, as matching does. */
  // Through the service's own DataSource, as the intake does: its commits signal the live feed.
  const appDataSource = () => p.app.get(DataSource);
  const record = (...payments: PaymentRecordedData[]) =>
    appDataSource().transaction(async (em) => {
      for (const one of payments) await notices.paymentRecorded(em, one);
    });

  /** Records a payment in a transaction that then fails. */
  const recordRolledBack = async (one: PaymentRecordedData) => {
    await expect(
      appDataSource().transaction(async (em) => {
        await notices.paymentRecorded(em, one);
        throw new Error('matching failed after the notice');
      }),
    ).rejects.toThrow('matching failed after the notice');
  };

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    m = await startMerchantApp('notices_merchant');
    p = await startPaymentApp('notices', await m.app.getUrl());
    baseUrl = await p.app.getUrl();
    officer = await officerToken(m);
    notices = p.app.get(PaymentNotices);
    deliveries = p.app.get(WebhookDeliveries);
  });

  afterAll(async () => {
    await p?.close();
    await m?.close();
  });

  describe('live feed (SSE)', () => {
    const feedUrl = (merchantId: string, query = '') => `${baseUrl}/api/v1/merchants/${merchantId}/feed${query}`;
    const feedPath = (merchantId: string) => `/api/v1/merchants/${merchantId}/feed`;

    /** The next payment event: its id and notice. */
    const nextNotice = async (feed: SseStream, timeoutMs?: number) => {
      const event = await feed.next(timeoutMs);
      expect(event.event).toBe('payment');
      return { id: event.id!, notice: JSON.parse(event.data) as Record<string, unknown> };
    };

    /** Nothing (more) arrives for `ms`. */
    const expectQuiet = (feed: SseStream, ms: number) => expect(feed.next(ms)).rejects.toThrow('no server-sent event');

    it('pushes a committed payment to the shop owner within a second, with the spoken text', async () => {
      const shop = await newShop();
      const feed = await openSse(feedUrl(shop.id), bearer(shop.apiKey));
      expect(feed.status).toBe(200);
      expect(feed.contentType).toBe('text/event-stream; charset=utf-8');

      const paid = payment(shop.id, 50_000);
      const started = performance.now();
      await record(paid);
      // Pushed after the commit, not found by the feeds' periodic catch-up (every 5 s).
      const { id, notice } = await nextNotice(feed, 1_000);
      const latencyMs = performance.now() - started;
      console.log(`live feed latency (commit → event): ${latencyMs.toFixed(1)} ms`);

      expect(id).toMatch(/^\d+$/);
      expect(notice).toEqual({
        paymentId: paid.paymentId,
        merchantId: shop.id,
        amount: 50_000,
        channel: 'dynamic_qr',
        outcome: 'succeeded',
        intentId: paid.intentId,
        intentStatus: 'succeeded',
        expectedAmount: 50_000,
        orderRef: 'BAN-05',
        paymentCode: 'CS7K2M9QXA',
        payerName: 'NGUYEN THI MAI',
        transferredAt: paid.transfer.transferredAt,
        recordedAt: paid.recordedAt,
        announcement: 'Đã nhận 50.000 đồng',
        announcementEn: 'Received 50,000 VND',
      });
      feed.close();
    });

    it('tells proxies not to cache or buffer the stream', async () => {
      const shop = await newShop();
      const abort = new AbortController();
      const response = await fetch(feedUrl(shop.id), { headers: bearer(shop.apiKey), signal: abort.signal });
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      abort.abort();
    });

    it('announces nothing for a rolled-back transaction, and each payment once', async () => {
      const shop = await newShop();
      const feed = await openSse(feedUrl(shop.id), bearer(shop.apiKey));
      await recordRolledBack(payment(shop.id, 12_000));
      await expectQuiet(feed, 500);

      const kept = payment(shop.id, 34_000, { channel: 'static_qr', outcome: 'static', intentId: null });
      await record(kept);
      await record(kept); // announced again (e.g. a retried transaction): nothing new
      expect((await nextNotice(feed)).notice).toMatchObject({
        paymentId: kept.paymentId,
        announcement: 'Đã nhận 34.000 đồng',
      });
      await expectQuiet(feed, 300);
      const stored = (await p.dataSource.query('SELECT payment_id FROM merchant_notice WHERE merchant_id = $1', [
        shop.id,
      ])) as { payment_id: string }[];
      expect(stored.map((r) => r.payment_id)).toEqual([kept.paymentId]);
      feed.close();
    });

    it('sends each merchant only its own payments', async () => {
      const [a, b] = [await newShop(), await newShop()];
      const feedA = await openSse(feedUrl(a.id), bearer(a.apiKey));
      await record(payment(b.id, 99_000), payment(a.id, 11_000));
      expect((await nextNotice(feedA)).notice).toMatchObject({ merchantId: a.id, amount: 11_000 });
      await expectQuiet(feedA, 300);
      feedA.close();
    });

    it('authenticates: no credentials 401, another merchant 404, ?access_token= and officers accepted', async () => {
      const [shop, other] = [await newShop(), await newShop()];
      const anonymous = await p.http().get(feedPath(shop.id)).expect(401);
      expect(anonymous.body.error.code).toBe('unauthorized');
      const intruder = await p.http().get(feedPath(shop.id)).set(bearer(other.apiKey)).expect(404);
      expect(intruder.body.error.messageVi).toBeTruthy();
      await p.http().get('/api/v1/merchants/not-a-merchant/feed').set(bearer(officer)).expect(404);

      // EventSource cannot send headers: the token travels in the query.
      const browser = await openSse(feedUrl(shop.id, `?access_token=${encodeURIComponent(shop.apiKey)}`));
      const officerFeed = await openSse(feedUrl(shop.id), bearer(officer));
      expect([browser.status, officerFeed.status]).toEqual([200, 200]);
      await record(payment(shop.id, 7_000));
      expect((await nextNotice(browser)).notice.amount).toBe(7_000);
      expect((await nextNotice(officerFeed)).notice.amount).toBe(7_000);
      browser.close();
      officerFeed.close();
    });

    it('resumes after Last-Event-ID: replays what was missed from the database, then goes live', async () => {
      const shop = await newShop();
      const first = await openSse(feedUrl(shop.id), bearer(shop.apiKey));
      const [p1, p2, p3] = [payment(shop.id, 1_000), payment(shop.id, 2_000), payment(shop.id, 3_000)];
      await record(p1);
      const seen = await nextNotice(first);
      first.close(); // the phone loses its connection
      await record(p2);
      await record(p3);

      const resumed = await openSse(feedUrl(shop.id), { ...bearer(shop.apiKey), 'last-event-id': seen.id });
      const replayed = [await nextNotice(resumed), await nextNotice(resumed)];
      expect(replayed.map((e) => e.notice.paymentId)).toEqual([p2.paymentId, p3.paymentId]);
      expect(replayed.map((e) => e.notice.announcement)).toEqual(['Đã nhận 2.000 đồng', 'Đã nhận 3.000 đồng']);
      expect(BigInt(replayed[0].id)).toBeGreaterThan(BigInt(seen.id));
      const p4 = payment(shop.id, 4_000);
      await record(p4);
      expect((await nextNotice(resumed)).notice.paymentId).toBe(p4.paymentId);
      await expectQuiet(resumed, 300);
      resumed.close();

      // A page that reloads (no EventSource memory) can pass the id in the query instead.
      const reloaded = await openSse(feedUrl(shop.id, `?lastEventId=${replayed[1].id}`), bearer(shop.apiKey));
      expect((await nextNotice(reloaded)).notice.paymentId).toBe(p4.paymentId);
      reloaded.close();
    });

    it('fills the gap when its LISTEN connection is lost and comes back', async () => {
      const shop = await newShop();
      const feed = await openSse(feedUrl(shop.id), bearer(shop.apiKey));
      await sleep(100); // the first catch-up has run
      await p.dataSource.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE '%-feed'`,
      );
      // Committed while nobody listens: only the catch-up after reconnecting can bring it.
      const during = payment(shop.id, 21_000);
      await record(during);
      expect((await nextNotice(feed, 10_000)).notice.paymentId).toBe(during.paymentId);
      for (let waited = 0; !p.app.get(LiveFeed).listening && waited < 10_000; waited += 50) await sleep(50);
      expect(p.app.get(LiveFeed).listening).toBe(true);
      const after = payment(shop.id, 22_000);
      await record(after);
      expect((await nextNotice(feed)).notice.paymentId).toBe(after.paymentId);
      feed.close();
    });

    it('caps live feeds per merchant (429, bilingual) and frees places on disconnect', async () => {
      const shop = await newShop();
      const live = p.app.get(LiveFeed);
      const before = live.connections;
      const open = () => openSse(feedUrl(shop.id), bearer(shop.apiKey));
      const feeds = await Promise.all(Array.from({ length: 20 }, open));
      expect(feeds.map((f) => f.status)).toEqual(Array(20).fill(200));
      const refused = await p.http().get(feedPath(shop.id)).set(bearer(shop.apiKey)).expect(429);
      expect(refused.body.error).toMatchObject({ code: 'too_many_feed_connections' });
      expect(refused.body.error.messageVi).toContain('20');
      feeds[0].close();
      for (let waited = 0; live.connections > before + 19 && waited < 5_000; waited += 20) await sleep(20);
      const again = await open();
      expect(again.status).toBe(200);
      for (const f of [...feeds, again]) f.close();
      for (let waited = 0; live.connections > before && waited < 5_000; waited += 20) await sleep(20);
      expect(live.connections).toBe(before);
    });
  });

  describe('merchant webhooks', () => {
    interface Received {
      headers: IncomingHttpHeaders;
      body: string;
    }
    /** Per path: how the receiver answers, and what it got. */
    const routes = new Map<string, { answer: 'ok' | 'fail' | 'hang'; received: Received[] }>();
    let receiver: Server;
    let receiverUrl: string;

    beforeAll(async () => {
      receiver = createServer((request, response) => {
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          const route = routes.get(request.url ?? '');
          route?.received.push({ headers: request.headers, body });
          if (route?.answer === 'hang') return; // never answers
          if (route?.answer === 'ok') return void response.writeHead(204).end();
          response.writeHead(500, { 'content-type': 'text/plain' }).end(`receiver down: ${'x'.repeat(2_000)}`);
        });
      });
      receiver.keepAliveTimeout = 100;
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      receiver?.closeAllConnections();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    /** A shop whose webhook points at its own receiver path; returns the signing secret. */
    const shopWithWebhook = async (answer: 'ok' | 'fail' | 'hang') => {
      const shop = await newShop();
      const path = `/hooks/${shop.id}`;
      const route = { answer, received: [] as Received[] };
      routes.set(path, route);
      const response = await own(shop, 'put', `/webhooks`)
        .send({ url: `${receiverUrl}${path}` })
        .expect(201);
      return { shop, route, secret: (response.body as { secret: string }).secret };
    };

    /** A request of the merchant itself to one of its `/merchants/:id/...` routes. */
    const own = (shop: { id: string; apiKey: string }, method: 'get' | 'put' | 'post' | 'delete', path: string) =>
      p.http()[method](`/api/v1/merchants/${shop.id}${path}`).set(bearer(shop.apiKey));

    const deliveryOf = async (shop: { id: string; apiKey: string }, id: string) =>
      (await own(shop, 'get', `/webhook-deliveries/${id}`).expect(200)).body as {
        status: string;
        attemptCount: number;
        nextAttemptAt: string | null;
        firstAttemptAt: string;
        lastAttemptAt: string;
        payload: { id: string; type: string; data: Record<string, unknown> };
        attempts: { attemptedAt: string; statusCode: number | null; error: string | null; response: string | null }[];
      };

    const deliveryIdsOf = async (merchantId: string) =>
      (
        (await p.dataSource.query('SELECT id FROM webhook_delivery WHERE merchant_id = $1 ORDER BY id', [
          merchantId,
        ])) as { id: string }[]
      ).map((r) => r.id);

    it('settings: the merchant sets a URL and gets a secret once; officers read; bad input is a 400 per field', async () => {
      const shop = await newShop();
      const path = `/api/v1/merchants/${shop.id}/webhooks`;
      await p.http().get(path).set(bearer(shop.apiKey)).expect(404);

      for (const [body, field] of [
        [{ url: 'ftp://shop.example.vn/hook' }, 'url'],
        [{ url: 'https://user:secret@shop.example.vn/hook' }, 'url'],
        [{ url: `https://shop.example.vn/${'a'.repeat(2_001)}` }, 'url'],
        [{}, 'url'],
        [{ url: 'https://shop.example.vn/hook', enabled: 'yes' }, 'enabled'],
        [{ url: 'https://shop.example.vn/hook', secret: 'mine' }, 'secret'],
      ] as const) {
        const refused = await p.http().put(path).set(bearer(shop.apiKey)).send(body).expect(400);
        expect(refused.body.error).toMatchObject({ code: 'validation_failed', messageVi: 'Dữ liệu không hợp lệ' });
        const fields = refused.body.error.details.fields as { field: string; message: { vi: string; en: string } }[];
        expect(fields.map((f) => f.field)).toEqual([field]);
        expect(fields[0].message.vi.length).toBeGreaterThan(0);
      }

      const created = await p
        .http()
        .put(path)
        .set(bearer(shop.apiKey))
        .send({ url: 'https://shop.example.vn/hook' })
        .expect(201);
      expect(created.body).toMatchObject({ merchantId: shop.id, url: 'https://shop.example.vn/hook', enabled: true });
      const secret = created.body.secret as string;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(created.body.secretPrefix).toBe(`${secret.slice(0, 10)}…`);

      const read = await p.http().get(path).set(bearer(officer)).expect(200);
      expect(read.body.secret).toBeUndefined();
      expect(read.body.secretPrefix).toBe(created.body.secretPrefix);
      const updated = await p
        .http()
        .put(path)
        .set(bearer(shop.apiKey))
        .send({ url: 'https://shop.example.vn/hook2' })
        .expect(200);
      expect(updated.body.secret).toBeUndefined();
      expect(updated.body.secretPrefix).toBe(created.body.secretPrefix);

      const other = await newShop();
      await p.http().put(path).set(bearer(other.apiKey)).send({ url: 'https://x.example/h' }).expect(404);
      await p.http().get(path).set(bearer(other.apiKey)).expect(404);
      await p.http().put(path).set(bearer(officer)).send({ url: 'https://x.example/h' }).expect(403);
      await p.http().put(path).send({ url: 'https://x.example/h' }).expect(401);
    });

    it('queues a delivery in the recording transaction and sends it signed', async () => {
      const { shop, route, secret } = await shopWithWebhook('ok');
      await recordRolledBack(payment(shop.id, 10_000));
      expect(await deliveryIdsOf(shop.id)).toEqual([]);

      const paid = payment(shop.id, 125_000);
      await record(paid);
      const [id] = await deliveryIdsOf(shop.id);
      expect((await deliveryOf(shop, id)).status).toBe('pending');

      expect(await deliveries.deliverDue()).toBeGreaterThanOrEqual(1);
      expect(route.received).toHaveLength(1);
      const [request] = route.received;
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-webhook-id']).toBe(id);
      const check = verifySignatureHeader(request.headers['x-signature'] as string, request.body, secret);
      expect(check.ok).toBe(true);
      const event = JSON.parse(request.body) as { id: string; type: string; createdAt: string; data: unknown };
      expect(event).toMatchObject({
        id,
        type: 'payment.recorded',
        data: {
          paymentId: paid.paymentId,
          merchantId: shop.id,
          amount: 125_000,
          announcement: 'Đã nhận 125.000 đồng',
          transfer: { bankBin: '970436', accountNumber: '2000000061', reference: 'FT25335ABC' },
        },
      });

      const delivered = await deliveryOf(shop, id);
      expect(delivered).toMatchObject({ status: 'delivered', attemptCount: 1, nextAttemptAt: null });
      expect(delivered.attempts).toEqual([
        expect.objectContaining({ statusCode: 204, error: null, url: `${receiverUrl}/hooks/${shop.id}` }),
      ]);
      expect(await deliveries.deliverDue()).toBe(0);
    });

    it('retries a failing endpoint on the backoff schedule for 24 h, then fails; a redeliver sends it again', async () => {
      const { shop, route, secret } = await shopWithWebhook('fail');
      await record(payment(shop.id, 60_000));
      const [id] = await deliveryIdsOf(shop.id);

      const t0 = new Date();
      await deliveries.deliverDue(t0);
      let state = await deliveryOf(shop, id);
      expect(state).toMatchObject({ status: 'pending', attemptCount: 1 });
      expect(state.attempts[0]).toMatchObject({ statusCode: 500, error: null });
      expect(state.attempts[0].response).toHaveLength(500);
      expect(state.attempts[0].response).toMatch(/^receiver down: x+$/);
      const firstGap = Date.parse(state.nextAttemptAt!) - t0.getTime();
      expect(firstGap).toBeGreaterThanOrEqual(8_000);
      expect(firstGap).toBeLessThanOrEqual(12_000);

      // Not due yet: nothing is sent.
      await deliveries.deliverDue(new Date(t0.getTime() + 5_000));
      expect(route.received).toHaveLength(1);

      // Move time on to each next attempt until the schedule gives up.
      while (state.status === 'pending') {
        await deliveries.deliverDue(new Date(state.nextAttemptAt!));
        state = await deliveryOf(shop, id);
        if (state.attemptCount > 40) throw new Error('never gives up');
      }
      expect(state.status).toBe('failed');
      const span = Date.parse(state.lastAttemptAt) - Date.parse(state.firstAttemptAt);
      expect(span).toBeGreaterThanOrEqual(24 * 3_600_000);
      expect(state.attemptCount).toBeGreaterThanOrEqual(12);
      expect(state.attempts).toHaveLength(state.attemptCount);
      expect(route.received).toHaveLength(state.attemptCount);
      // Every attempt carries the same event id and body, each freshly signed.
      expect(new Set(route.received.map((r) => r.body)).size).toBe(1);
      for (const r of route.received) {
        expect(r.headers['x-webhook-id']).toBe(id);
        expect(verifySignatureHeader(r.headers['x-signature'] as string, r.body, secret).ok).toBe(true);
      }

      route.answer = 'ok';
      const redelivered = await own(shop, 'post', `/webhook-deliveries/${id}/redeliver`).expect(202);
      expect(redelivered.body).toMatchObject({ id, status: 'pending' });
      await deliveries.deliverDue();
      expect(await deliveryOf(shop, id)).toMatchObject({ status: 'delivered', attemptCount: state.attemptCount + 1 });

      // A delivered event can be sent once more on request too.
      await own(shop, 'post', `/webhook-deliveries/${id}/redeliver`).expect(202);
      await deliveries.deliverDue();
      expect(await deliveryOf(shop, id)).toMatchObject({ status: 'delivered', attemptCount: state.attemptCount + 2 });
    });

    it('logs a timeout as a failed attempt and retries it', async () => {
      const { shop } = await shopWithWebhook('hang');
      await record(payment(shop.id, 15_000));
      const [id] = await deliveryIdsOf(shop.id);
      const started = Date.now();
      await deliveries.deliverDue();
      expect(Date.now() - started).toBeLessThan(3_000);
      const state = await deliveryOf(shop, id);
      expect(state).toMatchObject({ status: 'pending', attemptCount: 1 });
      expect(state.attempts[0]).toMatchObject({ statusCode: null, error: 'timeout after 300 ms' });
    });

    it('sends a signed test event on request and answers with the attempt', async () => {
      const { shop, route, secret } = await shopWithWebhook('ok');
      const response = await own(shop, 'post', `/webhooks/test`).expect(200);
      expect(response.body).toMatchObject({ eventType: 'webhook.test', status: 'delivered', attemptCount: 1 });
      expect(response.body.attempts[0]).toMatchObject({ statusCode: 204 });
      expect(route.received).toHaveLength(1);
      expect(
        verifySignatureHeader(route.received[0].headers['x-signature'] as string, route.received[0].body, secret).ok,
      ).toBe(true);
      expect(JSON.parse(route.received[0].body)).toMatchObject({ type: 'webhook.test', data: { merchantId: shop.id } });

      route.answer = 'fail';
      const failed = await own(shop, 'post', `/webhooks/test`).expect(200);
      // A test event is tried once, not retried for a day.
      expect(failed.body).toMatchObject({ status: 'failed', attemptCount: 1, lastStatusCode: 500 });
    });

    it('signs with both secrets for a while after a rotation', async () => {
      const { shop, route, secret: oldSecret } = await shopWithWebhook('ok');
      const rotated = await own(shop, 'post', `/webhooks/rotate-secret`).expect(200);
      const newSecret = rotated.body.secret as string;
      expect(newSecret).not.toBe(oldSecret);
      expect(Date.parse(rotated.body.previousSecretExpiresAt as string) - Date.now()).toBeGreaterThan(23 * 3_600_000);
      await record(payment(shop.id, 8_000));
      await deliveries.deliverDue();
      const [request] = route.received;
      const header = request.headers['x-signature'] as string;
      expect(header.match(/v1=/g)).toHaveLength(2);
      expect(verifySignatureHeader(header, request.body, newSecret).ok).toBe(true);
      expect(verifySignatureHeader(header, request.body, oldSecret).ok).toBe(true);
      await p.http().post(`/api/v1/merchants/${shop.id}/webhooks/rotate-secret`).set(bearer(officer)).expect(403);
    });

    it('DELETE disables: pending deliveries are canceled, new payments queue nothing, redeliver is refused', async () => {
      const { shop, route } = await shopWithWebhook('ok');
      await record(payment(shop.id, 5_000));
      const [id] = await deliveryIdsOf(shop.id);
      const disabled = await own(shop, 'delete', `/webhooks`).expect(200);
      expect(disabled.body.enabled).toBe(false);
      expect((await deliveryOf(shop, id)).status).toBe('canceled');
      await record(payment(shop.id, 6_000));
      expect(await deliveryIdsOf(shop.id)).toEqual([id]);
      await deliveries.deliverDue();
      expect(route.received).toHaveLength(0);
      const refused = await own(shop, 'post', `/webhook-deliveries/${id}/redeliver`).expect(409);
      expect(refused.body.error.code).toBe('webhook_disabled');
    });

    it('lists deliveries newest first with a status filter and cursor pages; readable by officers only besides the owner', async () => {
      const { shop } = await shopWithWebhook('ok');
      for (const amount of [1_000, 2_000, 3_000]) await record(payment(shop.id, amount));
      const [oldest] = await deliveryIdsOf(shop.id);
      await p.dataSource.query(`UPDATE webhook_delivery SET next_attempt_at = now() + interval '1 day' WHERE id = $1`, [
        oldest,
      ]);
      await deliveries.deliverDue();
      const path = `/api/v1/merchants/${shop.id}/webhook-deliveries`;

      const page1 = await p.http().get(`${path}?limit=2`).set(bearer(shop.apiKey)).expect(200);
      expect(page1.body.data).toHaveLength(2);
      expect(page1.body.nextCursor).toBe(page1.body.data[1].id);
      const page2 = await p
        .http()
        .get(`${path}?limit=2&cursor=${page1.body.nextCursor as string}`)
        .set(bearer(officer))
        .expect(200);
      expect(page2.body).toMatchObject({ data: [{ id: oldest, status: 'pending' }], nextCursor: null });
      const amounts = [...page1.body.data, ...page2.body.data].map((d: { paymentId: string }) => d.paymentId);
      expect(new Set(amounts).size).toBe(3);

      const pending = await p.http().get(`${path}?status=pending`).set(bearer(shop.apiKey)).expect(200);
      expect(pending.body.data.map((d: { id: string }) => d.id)).toEqual([oldest]);
      const bad = await p.http().get(`${path}?status=lost&limit=0&cursor=x`).set(bearer(shop.apiKey)).expect(400);
      expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'status',
        'cursor',
        'limit',
      ]);

      const other = await newShop();
      await p.http().get(path).set(bearer(other.apiKey)).expect(404);
      await p.http().get(`${path}/${oldest}`).set(bearer(other.apiKey)).expect(404);
      await p.http().get(`${path}/${randomUUID()}`).set(bearer(shop.apiKey)).expect(404);
      await p.http().get(`${path}/not-an-id`).set(bearer(shop.apiKey)).expect(404);
      await p.http().post(`${path}/${oldest}/redeliver`).set(bearer(officer)).expect(403);
    });

    it('counts attempts in the service metrics', async () => {
      const metrics = await p.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/webhook_delivery_attempts_total\{[^}]*result="success"[^}]*\} [1-9]/);
      expect(metrics.text).toMatch(/webhook_deliveries_settled_total\{[^}]*status="failed"[^}]*\} [1-9]/);
      expect(metrics.text).toContain('payment_feed_events_sent_total');
    });
  });

  it('uses the DataSource of the service for its LISTEN connection (same database)', async () => {
    const rows = (await p.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%-feed'`,
      )) as { n: number }[];
    expect(rows[0].n).toBe(1);
  });
});
