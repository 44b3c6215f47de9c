import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '../../../test/support/databases';
import { analyticsDatabase } from '../src/database';
import { merchantRegistered, merchantStatusChanged, paymentRecorded } from '../src/history/event-builders';
import type { SyntheticMerchant } from '../src/history/event-builders';
import { merchantFactOf, paymentFactOf } from '../src/projections/facts';
import type { MerchantFact, PaymentFact } from '../src/projections/facts';
import { ProjectionStore } from '../src/projections/projection-store';
import { rebuildProjections } from '../src/projections/rebuild';
import { ALL_STREETS, estimate } from '../src/projections/shopper-sketch';
import {
  AnalyticsApp,
  TEST_PAYER_SALT,
  aMerchant,
  derivedState,
  publish,
  startAnalyticsApp,
  waitFor,
} from './analytics-app';

/**
 * Merchant and payment events through the real broker into the analytics projections, then the
 * same facts rebuilt and replayed in other orders: every way gives identical tables.
 */
const street = randomUUID();
const otherStreet = randomUUID();
const merchants = [
  aMerchant(street, { category: 'food_drink', bankBin: '970436' }),
  aMerchant(street, { category: 'food_drink', bankBin: '970422' }),
  aMerchant(street, { category: 'grocery', bankBin: '970436' }),
  aMerchant(otherStreet, { category: 'fashion', bankBin: '970415' }),
];
// Registered on the Kafka side only after its payments were published.
const late: SyntheticMerchant = aMerchant(street, { category: 'grocery', bankBin: '970436' });

const pay = (m: SyntheticMerchant, at: string, amount: number, payer: string | null, extra: object = {}) =>
  paymentRecorded({ paymentId: randomUUID(), merchant: m, amount, transferredAt: at, payerAccount: payer, ...extra });

const merchantEvents = [
  ...merchants.map(merchantRegistered),
  ...merchants.slice(0, 3).map((m) => merchantStatusChanged(m, 'approved', '2025-06-03T03:00:00Z')),
];
// The fourth merchant later moves to the first street (a suspension event carries its new street).
const moved = merchantStatusChanged({ ...merchants[3], streetId: street }, 'suspended', '2025-06-20T03:00:00Z');
const paymentEvents = [
  pay(merchants[0], '2025-06-05T01:00:00Z', 45_000, '111'),
  pay(merchants[0], '2025-06-05T16:59:00Z', 30_000, '222'), // 23:59 in Vietnam: still 5 June
  pay(merchants[0], '2025-06-05T17:01:00Z', 20_000, '111'), // 00:01 on 6 June
  pay(merchants[1], '2025-06-05T03:00:00Z', 120_000, '333', { receivedAt: '2025-06-05T03:05:00Z' }), // late
  pay(merchants[2], '2025-06-05T04:00:00Z', 15_000, '111', { outcome: 'underpaid' }),
  pay(merchants[3], '2025-06-07T04:00:00Z', 60_000, '444'),
  pay(late, '2025-06-05T05:00:00Z', 10_000, '555'),
  pay(late, '2025-07-02T05:00:00Z', 10_000, '555'),
];

let app: AnalyticsApp;

describe('analytics projections from merchant and payment events (real Kafka and PostgreSQL)', () => {
  beforeAll(async () => {
    app = await startAnalyticsApp('projections', { consumesEvents: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('projects payments per day × street × category × bank, attributing one that came before its merchant', async () => {
    await publish([...merchantEvents, ...paymentEvents]);
    await waitFor(async () => {
      const [r] = (await app.dataSource.query('SELECT count(*)::int AS n FROM payment_fact WHERE street_id = $1', [
        street,
      ])) as { n: number }[];
      return r.n === 5;
    }, 'the street’s payments');
    // The late merchant's payments are stored but not yet on any street.
    const orphans = (await app.dataSource.query(
      'SELECT count(*)::int AS n FROM payment_fact WHERE merchant_id = $1 AND street_id IS NULL',
      [late.merchantId],
    )) as { n: number }[];
    expect(orphans[0].n).toBe(2);

    await publish([merchantRegistered(late)]);
    await waitFor(async () => {
      const [r] = (await app.dataSource.query('SELECT count(*)::int AS n FROM payment_fact WHERE street_id = $1', [
        street,
      ])) as { n: number }[];
      return r.n === 7;
    }, 'the late merchant’s payments on its street');

    const daily = (await app.dataSource.query(
      `SELECT day::text, category, bank_bin, payments_count, payments_value::int AS value, late_count, failed_count
       FROM daily_payment WHERE street_id = $1 ORDER BY 1, 2, 3`,
      [street],
    )) as unknown[];
    expect(daily).toEqual([
      {
        day: '2025-06-05',
        category: 'food_drink',
        bank_bin: '970422',
        payments_count: 1,
        value: 120_000,
        late_count: 1,
        failed_count: 0,
      },
      {
        day: '2025-06-05',
        category: 'food_drink',
        bank_bin: '970436',
        payments_count: 2,
        value: 75_000,
        late_count: 0,
        failed_count: 0,
      },
      {
        day: '2025-06-05',
        category: 'grocery',
        bank_bin: '970436',
        payments_count: 2,
        value: 25_000,
        late_count: 0,
        failed_count: 1,
      },
      {
        day: '2025-06-06',
        category: 'food_drink',
        bank_bin: '970436',
        payments_count: 1,
        value: 20_000,
        late_count: 0,
        failed_count: 0,
      },
      {
        day: '2025-07-02',
        category: 'grocery',
        bank_bin: '970436',
        payments_count: 1,
        value: 10_000,
        late_count: 0,
        failed_count: 0,
      },
    ]);

    const activity = (await app.dataSource.query(
      `SELECT month::text, merchant_id::text, active_days FROM merchant_activity WHERE street_id = $1 ORDER BY 1, 2`,
      [street],
    )) as { month: string; merchant_id: string; active_days: number }[];
    const byMerchant = (id: string) =>
      activity.filter((a) => a.merchant_id === id).map((a) => [a.month, a.active_days]);
    expect(byMerchant(merchants[0].merchantId)).toEqual([['2025-06-01', 0b110000]]); // 5 and 6 June
    expect(byMerchant(late.merchantId)).toEqual([
      ['2025-06-01', 0b10000],
      ['2025-07-01', 0b10],
    ]);

    const sketches = (await app.dataSource.query(
      `SELECT period, start::text, sketch FROM shopper_sketch WHERE street_id = $1 ORDER BY 1, 2`,
      [street],
    )) as { period: string; start: string; sketch: Buffer }[];
    const shoppers = Object.fromEntries(sketches.map((s) => [`${s.period} ${s.start}`, estimate(s.sketch)]));
    // 5 June: payers 111, 222, 333, 555 (111 twice); June: the same four; 6 June: 111.
    expect(shoppers).toMatchObject({
      'day 2025-06-05': 4,
      'day 2025-06-06': 1,
      'month 2025-06-01': 4,
      'month 2025-07-01': 1,
    });

    // Street totals per day, ISO week and month: sums and distinct paying merchants.
    const totals = (await app.dataSource.query(
      `SELECT period, start::text, payments_count, payments_value::int AS value, late_count, failed_count, active_merchants
       FROM street_total WHERE street_id = $1 ORDER BY 1, 2`,
      [street],
    )) as { period: string; start: string }[];
    const total = (period: string, start: string) => totals.find((t) => t.period === period && t.start === start);
    expect(total('day', '2025-06-05')).toMatchObject({
      payments_count: 5,
      value: 220_000,
      late_count: 1,
      failed_count: 1,
      active_merchants: 4,
    });
    expect(total('day', '2025-06-06')).toMatchObject({ payments_count: 1, active_merchants: 1 });
    expect(total('week', '2025-06-02')).toMatchObject({ payments_count: 6, value: 240_000, active_merchants: 4 });
    expect(total('month', '2025-06-01')).toMatchObject({ payments_count: 6, active_merchants: 4 });
    expect(total('month', '2025-07-01')).toMatchObject({ payments_count: 1, active_merchants: 1 });
    // The whole city's June is the sum of its streets' (each merchant counts under one street).
    const [city] = (await app.dataSource.query(
      `SELECT sum(payments_count) FILTER (WHERE street_id = $1)::int AS city_payments,
              sum(payments_count) FILTER (WHERE street_id <> $1)::int AS street_payments,
              sum(active_merchants) FILTER (WHERE street_id = $1)::int AS city_merchants,
              sum(active_merchants) FILTER (WHERE street_id <> $1)::int AS street_merchants
       FROM street_total WHERE period = 'month' AND start = '2025-06-01'`,
      [ALL_STREETS],
    )) as { city_payments: number; street_payments: number; city_merchants: number; street_merchants: number }[];
    expect(city.city_payments).toBe(city.street_payments);
    expect(city.city_merchants).toBe(city.street_merchants);
    expect(city.street_payments).toBeGreaterThanOrEqual(7);

    const [merchant] = (await app.dataSource.query(
      'SELECT status, approved_day::text, registered_day::text FROM merchant_fact WHERE merchant_id = $1',
      [merchants[0].merchantId],
    )) as unknown[];
    expect(merchant).toEqual({ status: 'active', approved_day: '2025-06-03', registered_day: '2025-06-02' });
  });

  it('a merchant that moves to another street takes its days along', async () => {
    await publish([moved]);
    const totalOn = async (streetId: string) =>
      (await app.dataSource.query(
        `SELECT payments_count, active_merchants FROM street_total WHERE period = 'day' AND start = '2025-06-07' AND street_id = $1`,
        [streetId],
      )) as unknown[];
    await waitFor(async () => (await totalOn(street)).length === 1, 'the moved merchant’s day on its new street');
    expect(await totalOn(street)).toEqual([{ payments_count: 1, active_merchants: 1 }]);
    expect(await totalOn(otherStreet)).toEqual([]);
    const [days] = (await app.dataSource.query(
      `SELECT street_id::text, category FROM merchant_days WHERE merchant_id = $1 AND bank_bin = ''`,
      [merchants[3].merchantId],
    )) as unknown[];
    expect(days).toEqual({ street_id: street, category: 'fashion' });
  });

  it('a redelivered event changes nothing', async () => {
    const before = await derivedState(app.dataSource, [street]);
    await publish([paymentEvents[0], merchantEvents[0]]);
    // Wait until the inbox has seen the redelivery (second offset for the same event id is skipped).
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await derivedState(app.dataSource, [street])).toEqual(before);
  });

  it('rebuilding from the facts gives the same tables as the incremental projection', async () => {
    const incremental = await derivedState(app.dataSource);
    const result = await rebuildProjections(app.dataSource, new ProjectionStore({ lateSeconds: 60 }));
    expect(result.payments).toBeGreaterThanOrEqual(paymentEvents.length);
    expect(await derivedState(app.dataSource)).toEqual(incremental);
  });

  it('the same events in another order and other batches give the same tables', async () => {
    const expected = await derivedState(app.dataSource, [street, otherStreet]);
    const db = await createTestDatabase('analytics_replay', analyticsDatabase);
    try {
      const store = new ProjectionStore({ lateSeconds: 60 });
      const all = [...paymentEvents, merchantRegistered(late), ...merchantEvents, moved].reverse();
      for (const event of all) {
        const merchant = merchantFactOf(event);
        const payment = paymentFactOf(event, TEST_PAYER_SALT);
        await db.dataSource.transaction((em) => store.apply(em, merchant ? [merchant] : [], payment ? [payment] : []));
      }
      expect(await derivedState(db.dataSource, [street, otherStreet])).toEqual(expected);

      // And all of it in one batch.
      const once = await createTestDatabase('analytics_once', analyticsDatabase);
      try {
        await once.dataSource.transaction((em) =>
          store.apply(
            em,
            all.map(merchantFactOf).filter((f): f is MerchantFact => f !== null),
            all.map((e) => paymentFactOf(e, TEST_PAYER_SALT)).filter((f): f is PaymentFact => f !== null),
          ),
        );
        expect(await derivedState(once.dataSource, [street, otherStreet])).toEqual(expected);
      } finally {
        await once.drop();
      }
    } finally {
      await db.drop();
    }
  });
});
