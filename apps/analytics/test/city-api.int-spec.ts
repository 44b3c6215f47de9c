import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { merchantRegistered, merchantStatusChanged, paymentRecorded } from '../src/history/event-builders';
import type { SyntheticMerchant } from '../src/history/event-builders';
import { merchantFactOf, paymentFactOf } from '../src/projections/facts';
import type { MerchantFact, PaymentFact } from '../src/projections/facts';
import { ProjectionStore } from '../src/projections/projection-store';
import { MerchantApp, officerToken, registerShop, startMerchantApp } from '../../merchant/test/merchant-app';
import { AnalyticsApp, TEST_PAYER_SALT, aMerchant, startAnalyticsApp } from './analytics-app';

/**
 * The officers' city API over projections of known events, with the real merchant service for the
 * street registry (dated wards, targets) and for authentication.
 */
let m: MerchantApp;
let a: AnalyticsApp;
let officer: string;
let hungVuong: { id: string; ward: { id: string }; history: { ward: { id: string; name: string } }[] };
let leDuan: { id: string };
let side: { id: string };
let tanBinh: string;

interface Area {
  streetId: string | null;
  streetName: string | null;
  wardName: string | null;
  registered: number;
  approved: number;
  active7d: number;
  active30d: number;
  targetBusinesses: number | null;
  targetScore: number | null;
  paymentsCount: number | null;
  paymentsValue: number | null;
  uniqueShoppers: number | null;
  suppressed: boolean;
}

async function seed(events: ReturnType<typeof merchantRegistered>[]): Promise<void> {
  const store = new ProjectionStore({ lateSeconds: 60 });
  await a.dataSource.transaction((em) =>
    store.apply(
      em,
      events.map(merchantFactOf).filter((f): f is MerchantFact => f !== null),
      events.map((e) => paymentFactOf(e, TEST_PAYER_SALT)).filter((f): f is PaymentFact => f !== null),
    ),
  );
}

const get = (path: string, token: string | null = officer) => {
  const request = a.http().get(`/api/v1/city${path}`);
  return token ? request.set('authorization', `Bearer ${token}`) : request;
};

function shop(streetId: string, n: number, overrides: Partial<SyntheticMerchant> = {}): SyntheticMerchant {
  return aMerchant(streetId, { registeredAt: `2025-05-${String(n).padStart(2, '0')}T03:00:00Z`, ...overrides });
}

const payments = (merchant: SyntheticMerchant, days: string[], amount: number, payer = 'p') =>
  days.map((day, i) =>
    paymentRecorded({
      paymentId: randomUUID(),
      merchant,
      amount,
      transferredAt: `${day}T03:00:00Z`,
      payerAccount: `${payer}${i % 3}`,
    }),
  );

describe('city monitoring API', () => {
  beforeAll(async () => {
    m = await startMerchantApp('city_api_merchant');
    a = await startAnalyticsApp('city_api', { merchantUrl: await m.app.getUrl() });
    officer = await officerToken(m);
    const streets = (await m.http().get('/api/v1/streets').expect(200)).body as {
      id: string;
      name: string;
      ward: { id: string };
      history: { ward: { id: string; name: string } }[];
    }[];
    hungVuong = streets.find((s) => s.name === 'Hùng Vương')!;
    leDuan = streets.find((s) => s.name === 'Lê Duẩn')!;
    tanBinh = hungVuong.history.find((h) => h.ward.name === 'Tân Bình')!.ward.id;
    side = (
      await m
        .http()
        .post('/api/v1/streets')
        .set('authorization', `Bearer ${officer}`)
        .send({ name: 'Phú Riềng Đỏ', wardId: hungVuong.ward.id })
        .expect(201)
    ).body as { id: string };
    await m
      .http()
      .put(`/api/v1/streets/${hungVuong.id}/target`)
      .set('authorization', `Bearer ${officer}`)
      .send({ targetBusinesses: 8, targetDate: '2025-12-31' })
      .expect(200);

    // Hùng Vương: 4 shops, 3 approved, 3 paid in June (one also in July); one shop registered in June.
    const hv = [1, 2, 3, 4].map((n) => shop(hungVuong.id, n, { bankBin: n === 1 ? '970422' : '970436' }));
    const hvJune = shop(hungVuong.id, 5, { registeredAt: '2025-06-10T03:00:00Z', category: 'grocery' });
    // Lê Duẩn: 3 shops, all paid; the side street: 1 shop.
    const ld = [1, 2, 3].map((n) => shop(leDuan.id, n, { category: 'fashion', bankBin: '970415' }));
    const sideShop = shop(side.id, 1, { category: 'services' });
    await seed([
      ...[...hv, hvJune, ...ld, sideShop].map(merchantRegistered),
      ...[...hv.slice(0, 3), ...ld, sideShop].map((x) => merchantStatusChanged(x, 'approved', '2025-05-20T03:00:00Z')),
      ...payments(hv[0], ['2025-06-02', '2025-06-03', '2025-07-02'], 50_000),
      ...payments(hv[1], ['2025-06-25', '2025-06-26'], 20_000),
      ...payments(hv[2], ['2025-06-28'], 30_000),
      ...payments(ld[0], ['2025-06-10'], 40_000, 'q'),
      ...payments(ld[1], ['2025-06-11'], 40_000, 'q'),
      ...payments(ld[2], ['2025-06-12', '2025-06-29'], 40_000, 'q'),
      ...payments(sideShop, ['2025-06-15'], 99_000, 'r'),
    ]);
  });

  afterAll(async () => {
    await a?.close();
    await m?.close();
  });

  it('answers officers only', async () => {
    await get('/adoption', null).expect(401);
    const shopKey = (await registerShop(m, hungVuong.id, 71)).apiKey;
    const forbidden = await get('/adoption', shopKey).expect(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });

  it('reports the adoption funnel per street in the contract shape, suppressing small cells', async () => {
    const response = await get('/adoption?from=2025-06-01&to=2025-06-30').expect(200);
    const body = response.body as { from: string; to: string; areas: Area[]; wards: Area[]; total: Area };
    expect(body).toMatchObject({ from: '2025-06-01', to: '2025-06-30' });
    const hv = body.areas.find((x) => x.streetId === hungVuong.id)!;
    expect(hv).toMatchObject({
      streetName: 'Hùng Vương',
      wardName: 'Bình Phước',
      targetBusinesses: 8,
      registered: 5,
      approved: 3,
      active7d: 2, // 24–30 June
      active30d: 3,
      paymentsCount: 5,
      paymentsValue: 170_000,
      targetScore: 0.375,
      uniqueShoppers: 2,
      suppressed: false,
    });
    expect(hv).toHaveProperty('shares.registered', 0.625);
    // The side street rests on one shop: withheld; the smaller of the others (Lê Duẩn) goes with it.
    const sideArea = body.areas.find((x) => x.streetId === side.id)!;
    expect(sideArea).toMatchObject({
      paymentsCount: null,
      paymentsValue: null,
      uniqueShoppers: null,
      suppressed: true,
    });
    expect(
      body.areas
        .filter((x) => x.suppressed)
        .map((x) => x.streetId)
        .sort(),
    ).toEqual([leDuan.id, side.id].sort());
    expect(body.total).toMatchObject({
      registered: 9,
      approved: 7,
      paymentsCount: 10,
      paymentsValue: 429_000,
      suppressed: false,
    });
    expect(body.wards).toEqual([
      expect.objectContaining({ wardName: 'Bình Phước', paymentsCount: 10, suppressed: false }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/Cửa hàng|accountNumber|phone/);

    // Asked alone, Lê Duẩn's three paying shops are enough to show.
    const alone = (await get(`/adoption?from=2025-06-01&to=2025-06-30&streetId=${leDuan.id}`).expect(200)).body as {
      areas: Area[];
    };
    expect(alone.areas).toEqual([
      expect.objectContaining({ paymentsCount: 4, paymentsValue: 160_000, suppressed: false }),
    ]);
  });

  it('files a former ward’s streets only for the days they lay in it', async () => {
    const body = (await get(`/adoption?from=2025-06-01&to=2025-07-31&wardId=${tanBinh}`).expect(200)).body as {
      areas: (Area & { from: string; to: string })[];
    };
    expect(body.areas).toHaveLength(1);
    expect(body.areas[0]).toMatchObject({
      streetId: hungVuong.id,
      wardName: 'Tân Bình',
      from: '2025-06-01',
      to: '2025-06-30',
    });
    expect(body.areas[0].paymentsCount).toBe(5); // the 2 July payment was in phường Bình Phước

    const after = await get(`/adoption?from=2025-08-01&to=2025-08-31&wardId=${tanBinh}`).expect(400);
    expect(after.body.error.details.fields[0]).toMatchObject({ field: 'wardId' });
    expect(after.body.error.details.fields[0].message.vi).toContain('30/06/2025');
  });

  it('refuses bad parameters field by field, in Vietnamese and English', async () => {
    const response = await get('/timeseries?granularity=year&from=2025-02-30&extra=1').expect(400);
    const fields = response.body.error.details.fields as { field: string; message: { vi: string; en: string } }[];
    expect(fields.map((f) => f.field).sort()).toEqual(['extra', 'from', 'granularity']);
    for (const f of fields) expect(f.message.vi && f.message.en).toBeTruthy();
    await get('/adoption?from=2025-07-01&to=2025-06-01').expect(400);
    await get('/adoption?streetId=not-a-uuid').expect(400);
    await get(`/adoption?streetId=${randomUUID()}`).expect(400);
    await get('/timeseries?granularity=day&from=2024-01-01&to=2025-06-30').expect(400);
    await get('/breakdown').expect(400);
  });

  it('gives a monthly series with growth, and daily points with activity', async () => {
    const body = (await get('/timeseries?granularity=month&from=2025-05-01&to=2025-07-31').expect(200)).body as {
      points: (Area & {
        start: string;
        activeMerchants: number;
        newMerchants: number;
        approvedMerchants: number;
        growth: { paymentsCount: number | null };
      })[];
    };
    expect(
      body.points.map((p) => [p.start, p.paymentsCount, p.activeMerchants, p.newMerchants, p.approvedMerchants]),
    ).toEqual([
      ['2025-05-01', 0, 0, 8, 7],
      ['2025-06-01', 10, 7, 1, 0],
      ['2025-07-01', null, 1, 0, 0], // one merchant paid in July: suppressed
    ]);
    expect(body.points[1].growth.paymentsCount).toBeNull(); // nothing in May to grow from
    const filtered = (
      await get(
        `/timeseries?granularity=week&from=2025-06-01&to=2025-06-30&streetId=${hungVuong.id}&bank=970436`,
      ).expect(200)
    ).body as {
      points: {
        start: string;
        paymentsCount: number | null;
        uniqueShoppers: number | null;
        newMerchants: number | null;
      }[];
    };
    expect(filtered.points[0]).toMatchObject({ start: '2025-05-26', uniqueShoppers: null, newMerchants: null });
  });

  it('breaks payments down by category and bank with shares', async () => {
    const byCategory = (await get('/breakdown?by=category&from=2025-06-01&to=2025-06-30').expect(200)).body as {
      rows: {
        key: string;
        label: { vi: string };
        paymentsCount: number | null;
        shareOfValue: number | null;
        suppressed: boolean;
      }[];
    };
    expect(byCategory.rows.map((r) => [r.key, r.paymentsCount, r.suppressed])).toEqual([
      ['food_drink', 5, false],
      // Services rests on one shop; fashion, the smaller of the rest, is withheld with it so the
      // total cannot give services away.
      ['fashion', null, true],
      ['services', null, true],
    ]);
    const byBank = (await get('/breakdown?by=bank&from=2025-06-01&to=2025-06-30').expect(200)).body as {
      rows: { key: string; label: { vi: string }; suppressed: boolean }[];
    };
    expect(byBank.rows.map((r) => r.key).sort()).toEqual(['970415', '970422', '970436']);
    expect(byBank.rows.find((r) => r.key === '970436')!.label.vi).toBe('Vietcombank');
  });

  /** Creates a campaign as the officer; its id. */
  async function createCampaign(body: { name: string; startDate: string; endDate: string; monthsBefore: number }) {
    const created = await a
      .http()
      .post('/api/v1/city/campaigns')
      .set('authorization', `Bearer ${officer}`)
      .send(body)
      .expect(201);
    return (created.body as { id: string }).id;
  }

  it('keeps campaigns and compares their monthly averages with the months before', async () => {
    const id = await createCampaign({
      name: 'Tháng không tiền mặt',
      startDate: '2025-06-01',
      endDate: '2025-06-30',
      monthsBefore: 1,
    });
    const list = (await get('/campaigns').expect(200)).body as { campaigns: { id: string; name: string }[] };
    expect(list.campaigns.map((c) => c.name)).toContain('Tháng không tiền mặt');
    const report = (await get(`/campaigns/${id}/report`).expect(200)).body as {
      periods: { before: { from: string; to: string } };
      overall: {
        paymentsCount: { before: number; during: number; changePercent: number | null };
        newMerchants: { before: number; during: number };
      };
    };
    expect(report.periods.before).toEqual({ from: '2025-05-01', to: '2025-05-31' });
    expect(report.overall.paymentsCount).toMatchObject({ before: 0, during: 10, changePercent: null });
    expect(report.overall.newMerchants).toMatchObject({ before: 8, during: 1 });
    const bad = await a
      .http()
      .post('/api/v1/city/campaigns')
      .set('authorization', `Bearer ${officer}`)
      .send({ name: '', startDate: '2025-06-30', endDate: '2025-06-01' })
      .expect(400);
    expect((bad.body.error.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'endDate',
      'name',
    ]);
    await get(`/campaigns/${randomUUID()}/report`).expect(404);
    await a.http().delete(`/api/v1/city/campaigns/${id}`).set('authorization', `Bearer ${officer}`).expect(204);
  });

  it('counts a campaign’s active merchants month by month, each period on its own, when both share a month', async () => {
    // 10–20 June against 10 May – 9 June: June is in both periods, in different parts.
    const id = await createCampaign({
      name: 'Mười ngày',
      startDate: '2025-06-10',
      endDate: '2025-06-20',
      monthsBefore: 1,
    });
    const report = (await get(`/campaigns/${id}/report`).expect(200)).body as {
      overall: { activeMerchants: { before: number; during: number } };
    };
    const paying = async (from: string, to: string) =>
      ((await get(`/adoption?from=${from}&to=${to}`).expect(200)).body as { total: { payingMerchants: number } }).total
        .payingMerchants;
    const [may, earlyJune, during] = [
      await paying('2025-05-10', '2025-05-31'),
      await paying('2025-06-01', '2025-06-09'),
      await paying('2025-06-10', '2025-06-20'),
    ];
    expect(during).toBeGreaterThan(0);
    const weighted = (may * (22 / 31) + earlyJune * (9 / 30)) / (22 / 31 + 9 / 30);
    expect(report.overall.activeMerchants).toEqual({
      before: Math.round(weighted * 10) / 10,
      during,
      change: expect.any(Number),
      changePercent: expect.anything(),
    });
    await a.http().delete(`/api/v1/city/campaigns/${id}`).set('authorization', `Bearer ${officer}`).expect(204);
  });

  it('exports CSV with a byte-order mark and definitions above the table', async () => {
    const response = await get('/export.csv?dataset=adoption&from=2025-06-01&to=2025-06-30').buffer(true).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain('cashless-adoption-2025-06-01-2025-06-30.csv');
    const text = response.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('Hùng Vương');
    expect(text).toContain('# paymentsValue');
    expect(text).toContain('level,street,ward,targetBusinesses');
    expect(text.split('\r\n').find((l) => l.startsWith('street,Hùng Vương'))).toContain(',170000,');
  });
});
