import { describe, expect, it } from '@jest/globals';
import { SIGNATURE_HEADER, verifySignatureHeader, type CanonicalBankNotification } from '@cashless/contracts';
import {
  deliverBatch,
  deliverNotification,
  deliverRaw,
  isDuplicateAnswer,
  notificationUrl,
  shuffledOrder,
  type DeliveryTarget,
} from './delivery';
import type { Answer, OutgoingRequest } from './sender';

const SECRET = 'test-bank-webhook-secret';

function notification(id: string): CanonicalBankNotification {
  return {
    id,
    bankBin: '970436',
    accountNumber: '0011001932418',
    amount: 50_000,
    content: 'CS7K2M9QAB Pho bo tai',
    transferredAt: '2025-12-01T14:03:05.123+07:00',
    payerName: 'NGUYEN VAN A',
  };
}

/** A fake platform: answers from a script (an Error means no answer), records each request. */
function fakePlatform(script: (Answer | Error)[] = []) {
  const requests: OutgoingRequest[] = [];
  const target: DeliveryTarget = {
    gatewayUrl: 'http://platform.test:8080/',
    secret: SECRET,
    send: async (request) => {
      requests.push(request);
      const next = script.shift() ?? { status: 200, body: '{"status":"accepted"}' };
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { requests, target };
}

const noSleep = { sleep: async () => undefined };

describe('delivery', () => {
  it('posts the exact signed bytes to the generic notification route', async () => {
    const { requests, target } = fakePlatform();
    const [delivery] = await deliverNotification(notification('SIM1'), target, noSleep);
    expect(delivery).toMatchObject({ status: 200, body: { status: 'accepted' }, attempts: 1 });
    const [request] = requests;
    expect(request.url).toBe('http://platform.test:8080/api/v1/bank-notifications/generic');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe(JSON.stringify(notification('SIM1')));
    expect(verifySignatureHeader(request.headers[SIGNATURE_HEADER], request.body!, SECRET)).toMatchObject({ ok: true });
    expect(verifySignatureHeader(request.headers[SIGNATURE_HEADER], `${request.body} `, SECRET)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('builds the route from a gateway URL with or without a path slash', () => {
    expect(notificationUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/api/v1/bank-notifications/generic');
    expect(notificationUrl('https://pay.example.vn/')).toBe('https://pay.example.vn/api/v1/bank-notifications/generic');
  });

  it('retries network errors and 5xx with doubling backoff, then reports the last answer', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const { requests, target } = fakePlatform([new Error('ECONNREFUSED'), { status: 503, body: '' }]);
    const delivery = await deliverRaw('{}', target, { sleep, retry: { attempts: 4, backoffMs: 100 } });
    expect(delivery).toMatchObject({ status: 200, attempts: 3 });
    expect(waits).toEqual([100, 200]);
    expect(requests.map((r) => r.body)).toEqual(['{}', '{}', '{}']);

    const down = fakePlatform([502, 503, 504].map((status) => ({ status, body: 'busy' })));
    const given = await deliverRaw('{}', down.target, { sleep, retry: { attempts: 3, backoffMs: 1 } });
    expect(given).toMatchObject({ status: 504, body: 'busy', attempts: 3 });

    const unreachable = fakePlatform([new Error('ECONNREFUSED'), new Error('ECONNREFUSED')]);
    const lost = await deliverRaw('{}', unreachable.target, { sleep, retry: { attempts: 2, backoffMs: 1 } });
    expect(lost).toMatchObject({ status: null, error: 'ECONNREFUSED', attempts: 2 });
  });

  it('takes a 4xx as final', async () => {
    const { requests, target } = fakePlatform([{ status: 401, body: '{"error":{"code":"unauthorized"}}' }]);
    const delivery = await deliverRaw('{}', target, noSleep);
    expect(delivery).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } }, attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('sends duplicates with the same bytes, one after another or together', async () => {
    for (const concurrent of [false, true]) {
      const { requests, target } = fakePlatform();
      const deliveries = await deliverNotification(notification('SIM2'), target, { duplicates: 3, concurrent });
      expect(deliveries).toHaveLength(4);
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    }
  });

  it('delivers a batch in order, or shuffled when asked, answering in the given order', async () => {
    const items = ['A', 'B', 'C', 'D', 'E'].map((id) => ({ notification: notification(id) }));
    const inOrder = fakePlatform();
    const plain = await deliverBatch(items, inOrder.target);
    expect(plain.order).toEqual([0, 1, 2, 3, 4]);
    expect(inOrder.requests.map((r) => JSON.parse(r.body!).id)).toEqual(['A', 'B', 'C', 'D', 'E']);

    const shuffled = fakePlatform();
    const result = await deliverBatch(items, shuffled.target, { reorder: true });
    expect([...result.order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(result.order).not.toEqual([0, 1, 2, 3, 4]);
    expect(shuffled.requests.map((r) => JSON.parse(r.body!).id)).toEqual(
      result.order.map((i) => items[i].notification.id),
    );
    expect(result.deliveries).toHaveLength(5);
  });

  it('never returns the given order when asked to shuffle two or more', () => {
    expect(shuffledOrder(2, () => 0.99)).toEqual([1, 0]);
    expect(shuffledOrder(1)).toEqual([0]);
    expect(shuffledOrder(0)).toEqual([]);
    for (let i = 0; i < 50; i++) expect(shuffledOrder(3)).not.toEqual([0, 1, 2]);
  });

  it('reads a duplicate from the answer body', () => {
    expect(isDuplicateAnswer({ status: 'duplicate' })).toBe(true);
    expect(isDuplicateAnswer({ duplicate: true })).toBe(true);
    expect(isDuplicateAnswer({ status: 'accepted' })).toBe(false);
    expect(isDuplicateAnswer('duplicate')).toBe(false);
    expect(isDuplicateAnswer(null)).toBe(false);
  });
});
