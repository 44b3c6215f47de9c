import { addDays, daysBetween, vietnamDay } from '../kpi/calendar';
import { merchantRegistered, merchantStatusChanged, paymentRecorded } from './event-builders';
import type { SyntheticMerchant } from './event-builders';
import type { EventEnvelope, PaymentOutcome } from '@cashless/contracts';

/**
 * A synthetic but plausible history of a cashless-street programme, as the merchant and payment
 * services would have published it: shops register and are approved over the months, take
 * payments in opening hours with weekday and holiday patterns, a Tết dip, a campaign uplift and
 * ticket sizes by category; one bank now and then notifies late. Deterministic for a given seed.
 * Every event is valid against the catalogs (the same builders as the tests).
 */
export interface HistoryOptions {
  months: number;
  merchants: number;
  streets: { id: string; wardId: string | null }[];
  /** Last day of the history (Vietnamese day); defaults to yesterday. */
  endDay?: string;
  seed?: number;
  /** Days with more payments (a campaign drive); defaults to the three months before the last two. */
  campaign?: { from: string; to: string; uplift: number };
}

export interface HistoryPlan {
  from: string;
  to: string;
  campaign: { from: string; to: string; uplift: number };
  merchants: SyntheticMerchant[];
}

/** Seeded PRNG (mulberry32): the same seed gives the same history. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [value, weight] of weighted) if ((x -= weight) < 0) return value;
  return weighted[weighted.length - 1][0];
}

function uuidOf(rnd: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

function poisson(rnd: () => number, mean: number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rnd)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rnd(); p > limit; p *= rnd()) k++;
  return k;
}

/** Category mix, daily payments of an established shop, and the median ticket in đồng. */
const CATEGORIES = [
  ['food_drink', 0.35, 12, 45_000],
  ['grocery', 0.2, 9, 60_000],
  ['fashion', 0.12, 2, 250_000],
  ['services', 0.1, 3, 120_000],
  ['health_beauty', 0.08, 2.5, 180_000],
  ['electronics', 0.05, 1, 900_000],
  ['household', 0.05, 1.5, 200_000],
  ['other', 0.05, 1.5, 80_000],
] as const;
const CATEGORY_INFO = new Map(CATEGORIES.map(([code, , daily, ticket]) => [code as string, { daily, ticket }]));

/** Payout banks of household businesses (share of shops). */
const BANKS = [
  ['970436', 25], // Vietcombank
  ['970415', 18], // VietinBank
  ['970418', 15], // BIDV
  ['970405', 12], // Agribank
  ['970407', 10], // Techcombank
  ['970422', 10], // MB
  ['970416', 5], // ACB
  ['970403', 5], // Sacombank
] as const;

/** Busier at the weekend, quieter on Monday (index = getUTCDay(), 0 = Sunday). */
const WEEKDAY = [1.3, 0.85, 0.95, 0.95, 1.0, 1.1, 1.25];

/** First day of Tết (lunar new year) by year. */
const TET: Record<number, string> = {
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
};

/** Public holidays with more strolling and eating out. */
const HOLIDAYS = new Set(['04-30', '05-01', '09-02', '01-01']);

/** How a day's payments compare with an ordinary day. */
export function dayFactor(day: string, campaign: { from: string; to: string; uplift: number }): number {
  let factor = WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()];
  const tet = TET[Number(day.slice(0, 4))] ?? TET[Number(day.slice(0, 4)) + 1];
  if (tet) {
    const offset = daysBetween(tet, day);
    // Shops close for the first days of Tết and reopen slowly.
    if (offset >= -1 && offset <= 3) factor *= 0.15;
    else if (offset > 3 && offset <= 9) factor *= 0.6;
    else if (offset >= -10 && offset < -1) factor *= 1.3; // buying for Tết
  }
  if (HOLIDAYS.has(day.slice(5))) factor *= 1.2;
  if (day >= campaign.from && day <= campaign.to) factor *= campaign.uplift;
  return factor;
}

/** Hour of a payment in Vietnam: mornings, lunch and evenings (6:00–22:00). */
const HOURS = [
  [6, 4],
  [7, 8],
  [8, 6],
  [9, 4],
  [10, 4],
  [11, 7],
  [12, 8],
  [13, 4],
  [14, 3],
  [15, 3],
  [16, 4],
  [17, 6],
  [18, 9],
  [19, 10],
  [20, 8],
  [21, 5],
] as const;

export function planHistory(options: HistoryOptions): HistoryPlan {
  if (options.streets.length === 0) throw new Error('a history needs at least one street');
  const rnd = random(options.seed ?? 2025);
  const to = options.endDay ?? addDays(vietnamDay(new Date()), -1);
  const from = addDays(to, -Math.round(options.months * 30.44) + 1);
  const campaignStart = addDays(to, -150);
  const campaign = options.campaign ?? { from: campaignStart, to: addDays(campaignStart, 91), uplift: 1.35 };
  const span = daysBetween(from, to);
  const merchants: SyntheticMerchant[] = [];
  for (let i = 0; i < options.merchants; i++) {
    const street = options.streets[i % options.streets.length];
    // A launch cohort before the history starts, then steady sign-ups, a bulge during the campaign.
    const early = rnd() < 0.35;
    let offset = early ? -Math.floor(rnd() * 30) - 1 : Math.floor(Math.sqrt(rnd()) * span);
    if (!early && rnd() < 0.2) offset = daysBetween(from, campaign.from) + Math.floor(rnd() * 60);
    const day = addDays(from, Math.min(offset, span));
    const hour = 1 + Math.floor(rnd() * 9); // 08:00–16:00 in Vietnam
    merchants.push({
      merchantId: uuidOf(rnd),
      shopName: `Cửa hàng mẫu ${i + 1}`,
      category: pick(
        rnd,
        CATEGORIES.map(([code, share]) => [code as string, share] as const),
      ),
      streetId: street.id,
      wardId: street.wardId,
      registeredAt: `${day}T0${hour}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00.000Z`,
      bankBin: pick(
        rnd,
        BANKS.map(([bin, w]) => [bin as string, w] as const),
      ),
      accountNumber: String(1_000_000_000 + Math.floor(rnd() * 8_999_999_999)),
    });
  }
  return { from, to, campaign, merchants };
}

/** The merchant events of a plan: registration, then approval (most), rejection or closing (a few). */
export function* merchantHistory(plan: HistoryPlan, seed = 7): Generator<EventEnvelope> {
  const rnd = random(seed);
  for (const m of plan.merchants) {
    yield merchantRegistered(m);
    const fate = rnd();
    const reviewed = new Date(Date.parse(m.registeredAt) + (1 + rnd() * 4) * 86_400_000).toISOString();
    if (fate < 0.05) yield merchantStatusChanged(m, 'rejected', reviewed);
    else if (fate < 0.92) {
      yield merchantStatusChanged(m, 'approved', reviewed);
      if (fate > 0.9) {
        const closed = new Date(Date.parse(reviewed) + (30 + rnd() * 200) * 86_400_000).toISOString();
        yield merchantStatusChanged(m, 'closed', closed);
      }
    }
  }
}

/**
 * The payment events of a plan, day by day. Approved shops are paid from their approval on, at a
 * rate that grows over their first two months; payers come mostly from their street's regulars.
 */
export function* paymentHistory(plan: HistoryPlan, seed = 11): Generator<EventEnvelope> {
  const rnd = random(seed);
  const approvedOn = new Map<string, { from: string; until: string | null }>();
  for (const e of merchantHistory(plan)) {
    const data = e.data as { merchantId: string; changedAt?: string };
    if (e.type === 'merchant.approved')
      approvedOn.set(data.merchantId, { from: vietnamDay(data.changedAt!), until: null });
    if (e.type === 'merchant.closed') approvedOn.get(data.merchantId)!.until = vietnamDay(data.changedAt!);
  }
  const streets = [...new Set(plan.merchants.map((m) => m.streetId))];
  const regulars = 40; // payers per shop in a street's regular pool
  const shoppersPerStreet = new Map(
    streets.map((s) => [s, plan.merchants.filter((m) => m.streetId === s).length * regulars]),
  );
  const cityShoppers = plan.merchants.length * 25;
  // Each month one bank has a bad spell of three days with late notifications.
  const lateSpells = new Map<string, string>();
  for (let day = plan.from; day <= plan.to; day = addDays(day, 30)) {
    const bank = BANKS[Math.floor(rnd() * BANKS.length)][0];
    for (let d = 0; d < 3; d++) lateSpells.set(addDays(day, 10 + d), bank);
  }
  for (let day = plan.from; day <= plan.to; day = addDays(day, 1)) {
    const factor = dayFactor(day, plan.campaign);
    for (const m of plan.merchants) {
      const approval = approvedOn.get(m.merchantId);
      if (!approval || approval.from > day || (approval.until !== null && approval.until <= day)) continue;
      const info = CATEGORY_INFO.get(m.category)!;
      const ramp = Math.min(1, 0.3 + daysBetween(approval.from, day) / 60);
      const count = poisson(rnd, info.daily * ramp * factor);
      for (let i = 0; i < count; i++) {
        const [hour] = pick(
          rnd,
          HOURS.map((h) => [h, h[1]] as const),
        );
        const transferredAt = new Date(
          Date.parse(`${day}T00:00:00+07:00`) + (hour * 3600 + Math.floor(rnd() * 3600)) * 1000,
        );
        const slow = lateSpells.get(day) === m.bankBin && rnd() < 0.4;
        const delaySeconds = slow ? 90 + Math.floor(rnd() * 600) : 1 + Math.floor(rnd() * 8);
        const amount = Math.max(1_000, Math.round((info.ticket * Math.exp(0.6 * normal(rnd))) / 1000) * 1000);
        const local = rnd() < 0.7;
        const pool = local ? shoppersPerStreet.get(m.streetId)! : cityShoppers;
        // Regulars come back: a skewed draw from the pool.
        const shopper = Math.floor(pool * rnd() ** 2);
        const outcome = pick<PaymentOutcome>(rnd, [
          ['static', 85],
          ['succeeded', 13],
          ['underpaid', 1],
          ['overpaid', 0.5],
          ['needs_review', 0.5],
        ]);
        yield paymentRecorded({
          paymentId: uuidOf(rnd),
          merchant: m,
          amount: Math.min(amount, 499_999_000),
          transferredAt: transferredAt.toISOString(),
          receivedAt: new Date(transferredAt.getTime() + delaySeconds * 1000).toISOString(),
          payerAccount: rnd() < 0.05 ? null : `${local ? m.streetId.slice(0, 4) : 'city'}${shopper}`,
          outcome,
          eventId: uuidOf(rnd),
        });
      }
    }
  }
}
