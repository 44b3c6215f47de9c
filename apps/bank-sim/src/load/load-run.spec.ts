import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { encodeVietQr } from '@cashless/vietqr';
import { BOARD_QR, CHECKOUT_QR } from '../../test/qr-fixtures';
import type { DeliveryTarget } from '../delivery/delivery';
import type { OutgoingRequest } from '../delivery/sender';
import { summarizeLatencies } from './latency';
import { LoadRun, startLoad, unpayablePayloads } from './load-run';
import type { DeliveryRecord } from './load-run';

/** A platform that answers after `delayMs`; every `duplicateEvery`-th answer says duplicate. */
function platform(delayMs = 1, duplicateEvery = 0) {
  const bodies: string[] = [];
  const target: DeliveryTarget = {
    gatewayUrl: 'http://platform.test',
    secret: 'test-bank-webhook-secret',
    send: async (request: OutgoingRequest) => {
      bodies.push(request.body!);
      const duplicate = duplicateEvery > 0 && bodies.length % duplicateEvery === 0;
      await sleep(delayMs);
      return { status: 200, body: JSON.stringify({ status: duplicate ? 'duplicate' : 'accepted' }) };
    },
  };
  return { bodies, target };
}

describe('load run', () => {
  it('sends rate × duration notifications and counts the answers', async () => {
    const { bodies, target } = platform(1, 5);
    const report = await startLoad({
      ratePerSecond: 400,
      durationSeconds: 0.25,
      payloads: [BOARD_QR, CHECKOUT_QR],
      target,
    }).done;
    expect(report).toMatchObject({
      status: 'done',
      scheduled: 100,
      sent: 100,
      accepted: 80,
      duplicates: 20,
      rejected: 0,
      errors: 0,
      skipped: 0,
      inFlight: 0,
    });
    expect(report.latencyMs?.p50).toBeGreaterThan(0);
    expect(report.achievedRatePerSecond).toBeGreaterThan(0);
    const sent = bodies.map((b) => JSON.parse(b) as { accountNumber: string; amount: number });
    // Round robin over the QRs; the board (no amount) gets whole-thousand amounts.
    expect(sent.filter((n) => n.accountNumber === '0011001932418').every((n) => n.amount === 50_000)).toBe(true);
    const boardAmounts = sent.filter((n) => n.accountNumber === '0023457923442').map((n) => n.amount);
    expect(boardAmounts).toHaveLength(50);
    expect(boardAmounts.every((a) => a % 1000 === 0 && a >= 10_000 && a <= 500_000)).toBe(true);
  });

  it('skips sends that fall due while the in-flight bound is reached (open loop)', async () => {
    const { target } = platform(150);
    const report = await startLoad({
      ratePerSecond: 200,
      durationSeconds: 0.2,
      payloads: [CHECKOUT_QR],
      target,
      maxInFlight: 2,
    }).done;
    expect(report.scheduled).toBe(40);
    expect(report.sent + report.skipped).toBe(40);
    expect(report.skipped).toBeGreaterThan(30);
  });

  it('pays fresh dynamic QRs for the given share and counts failed intents', async () => {
    const { bodies, target } = platform();
    let created = 0;
    const report = await startLoad({
      ratePerSecond: 200,
      durationSeconds: 0.1,
      createDynamicPayload: async (sequence) => {
        if (sequence % 10 === 9) throw new Error('HTTP 503');
        created++;
        return encodeVietQr({ bankBin: '970436', account: '0011001932418', amount: 1000 + sequence });
      },
      dynamicShare: 1,
      target,
    }).done;
    expect(report.intents).toEqual({ created, failed: 2 });
    expect(report).toMatchObject({ scheduled: 20, sent: 18, errors: 2, accepted: 18 });
    expect(bodies).toHaveLength(18);
  });

  it('counts rejections and platform errors apart', async () => {
    let n = 0;
    const target: DeliveryTarget = {
      gatewayUrl: 'http://platform.test',
      secret: 'test-bank-webhook-secret',
      send: async () => {
        n++;
        if (n % 3 === 0) throw new Error('ECONNRESET');
        return n % 3 === 1 ? { status: 400, body: '{}' } : { status: 500, body: '' };
      },
    };
    const report = await startLoad({ ratePerSecond: 300, durationSeconds: 0.1, payloads: [CHECKOUT_QR], target }).done;
    expect(report).toMatchObject({ sent: 30, rejected: 10, errors: 20, accepted: 0 });
  });

  it('stops scheduling on stop()', async () => {
    const { target } = platform();
    const run = startLoad({ ratePerSecond: 100, durationSeconds: 60, payloads: [CHECKOUT_QR], target });
    await sleep(50);
    run.stop();
    const report = await run.done;
    expect(report.status).toBe('stopped');
    expect(report.scheduled).toBeLessThan(100);
    expect(report.sent).toBe(report.scheduled);
  });

  it('refuses QRs it cannot pay and settings it cannot honour', () => {
    const { target } = platform();
    expect(unpayablePayloads([BOARD_QR, 'garbage', CHECKOUT_QR])).toEqual([
      { index: 1, error: expect.objectContaining({ code: 'qr_malformed' }) },
    ]);
    expect(() => new LoadRun({ ratePerSecond: 10, durationSeconds: 1, payloads: ['garbage'], target })).toThrow(
      /payload 0 cannot be paid/,
    );
    expect(() => new LoadRun({ ratePerSecond: 0, durationSeconds: 1, payloads: [BOARD_QR], target })).toThrow(
      RangeError,
    );
    expect(
      () => new LoadRun({ ratePerSecond: 10, durationSeconds: 1, dynamicShare: 0.5, payloads: [BOARD_QR], target }),
    ).toThrow(/createDynamicPayload/);
    expect(() => new LoadRun({ ratePerSecond: 10, durationSeconds: 1, target })).toThrow(/payloads/);
  });

  it('delivers a share of notifications twice, racing or in turn, and tells each final answer', async () => {
    // A platform that dedupes by the feed's id, as the payment service does.
    const seen = new Set<string>();
    const arrivals: string[] = [];
    const target: DeliveryTarget = {
      gatewayUrl: 'http://platform.test',
      secret: 'test-bank-webhook-secret',
      send: async (request: OutgoingRequest) => {
        const { id } = JSON.parse(request.body!) as { id: string };
        arrivals.push(id);
        const duplicate = seen.has(id);
        seen.add(id);
        await sleep(1);
        return { status: 200, body: JSON.stringify({ status: duplicate ? 'duplicate' : 'accepted' }) };
      },
    };
    const records: DeliveryRecord[] = [];
    // A seeded generator: other draws (the payment's details) interleave with the duplicate draws
    // in whatever order the sends run, so an alternating sequence could land every duplicate draw
    // on the same side of the share. With 40 draws at one half, none or all below is ~1e-12.
    let state = 20261126;
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const report = await startLoad({
      ratePerSecond: 400,
      durationSeconds: 0.1,
      payloads: [CHECKOUT_QR],
      target,
      duplicateShare: 0.5,
      random,
      onDelivery: (record) => records.push(record),
    }).done;
    expect(report.sent).toBe(40);
    expect(report.resent).toBeGreaterThan(0);
    expect(report.resent).toBeLessThan(40);
    expect(arrivals).toHaveLength(40 + report.resent);
    expect(seen.size).toBe(40);
    expect(report.accepted).toBe(40);
    expect(report.duplicates).toBe(report.resent);
    expect(records).toHaveLength(arrivals.length);
    expect(records.filter((x) => x.resend)).toHaveLength(report.resent);
    expect(new Set(records.map((x) => x.notificationId))).toEqual(seen);
    expect(records.every((x) => x.delivery.status === 200 && x.sentAt > 0)).toBe(true);
  });

  it('sends held groups in a shuffled order, each notification once', async () => {
    const { bodies, target } = platform(1);
    const report = await startLoad({
      ratePerSecond: 500,
      durationSeconds: 0.2,
      payloads: [BOARD_QR],
      target,
      reorderWindow: 10,
    }).done;
    expect(report).toMatchObject({ sent: 100, accepted: 100, errors: 0 });
    const times = bodies.map((b) => Date.parse((JSON.parse(b) as { transferredAt: string }).transferredAt));
    const ids = bodies.map((b) => (JSON.parse(b) as { id: string }).id);
    expect(new Set(ids).size).toBe(100);
    // Out of order: some transfer arrives after a later one.
    const inversions = times.filter((t, i) => i > 0 && t < times[i - 1]).length;
    expect(inversions).toBeGreaterThan(0);
    expect(
      () => new LoadRun({ ratePerSecond: 10, durationSeconds: 1, payloads: [BOARD_QR], target, reorderWindow: 1 }),
    ).toThrow(/reorderWindow/);
  });

  it('summarizes latencies as nearest-rank percentiles', () => {
    expect(summarizeLatencies([])).toBeNull();
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });
});
