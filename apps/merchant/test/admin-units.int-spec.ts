import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { OutboxWriter } from '@cashless/messaging';
import { seedDemoMerchants } from '../src/demo/demo-seed';
import { DEMO_API_KEY, DEMO_PASSWORD } from '../src/demo/demo-seed';
import { merchantCatalog } from '../src/events';
import { MerchantApp, fieldsOf, officerToken, startMerchantApp, streetByName } from './merchant-app';

interface Unit {
  id: string;
  level: string;
  name: string;
  parentId: string | null;
  validFrom: string | null;
  validTo: string | null;
  successorIds: string[];
}

describe('administrative units entered by officers (HTTP, real PostgreSQL)', () => {
  let m: MerchantApp;
  let token: string;
  let dongNai: Unit;
  let binhPhuoc: Unit;
  const officer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    m = await startMerchantApp('merchant-admin-units');
    token = await officerToken(m);
    const units = (await m.http().get('/api/v1/admin-units').expect(200)).body as Unit[];
    dongNai = units.find((u) => u.level === 'province' && u.name === 'Đồng Nai')!;
    binhPhuoc = units.find((u) => u.level === 'ward' && u.name === 'Bình Phước')!;
  });

  afterAll(async () => {
    await m?.close();
  });

  it('lists the seeded units with periods and successors', async () => {
    const units = (await m.http().get('/api/v1/admin-units').expect(200)).body as Unit[];
    const tanBinh = units.find((u) => u.name === 'Tân Bình')!;
    expect(tanBinh).toMatchObject({ validTo: '2025-06-30', successorIds: [binhPhuoc.id] });
    expect(binhPhuoc).toMatchObject({ validFrom: '2025-07-01', validTo: null, parentId: dongNai.id });
  });

  it('a future merger: new ward from 2027-01-01, the old one ends 2026-12-31; streets move on that day and keep history', async () => {
    const created = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'ward', name: ' Bình Phước Mới ', kind: 'phường', parentId: dongNai.id, validFrom: '2027-01-01' })
      .expect(201);
    const successor = created.body as Unit;
    expect(successor).toMatchObject({ level: 'ward', name: 'Bình Phước Mới', validFrom: '2027-01-01', validTo: null });

    const ended = await m
      .http()
      .post(`/api/v1/admin-units/${binhPhuoc.id}/end`)
      .set(officer())
      .send({ validTo: '2026-12-31', successorIds: [successor.id] })
      .expect(200);
    expect(ended.body).toMatchObject({ validTo: '2026-12-31', successorIds: [successor.id] });

    // Today the streets still lie in phường Bình Phước; from 2027 in the successor.
    const street = await streetByName(m, 'Hùng Vương');
    expect(street.ward.id).toBe(binhPhuoc.id);
    const links = (await m.dataSource.query(
      'SELECT ward_id, valid_from::text AS f, valid_to::text AS t FROM street_ward WHERE street_id = $1 ORDER BY valid_from NULLS FIRST',
      [street.id],
    )) as { ward_id: string; f: string | null; t: string | null }[];
    expect(links.slice(1)).toEqual([
      { ward_id: binhPhuoc.id, f: '2025-07-01', t: '2026-12-31' },
      { ward_id: successor.id, f: '2027-01-01', t: null },
    ]);
    const audit = (await m.dataSource.query(
      "SELECT action, actor_name FROM audit_log WHERE entity IN ('admin_unit', 'street') ORDER BY id",
    )) as { action: string; actor_name: string }[];
    expect(audit.map((a) => a.action)).toEqual([
      'admin_unit.created',
      'street.ward_changed',
      'street.ward_changed',
      'admin_unit.ended',
    ]);
    expect(new Set(audit.map((a) => a.actor_name))).toEqual(new Set(['admin']));

    // Ending twice is a conflict.
    const again = await m
      .http()
      .post(`/api/v1/admin-units/${binhPhuoc.id}/end`)
      .set(officer())
      .send({ validTo: '2026-12-31', successorIds: [successor.id] });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'admin_unit_ended' } });
  });

  it('refuses overlapping units of the same name, bad dates and successors that do not start the day after', async () => {
    const overlap = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'province', name: 'Đồng Nai', validFrom: '2030-01-01' });
    expect(overlap.status).toBe(409);
    expect(overlap.body).toMatchObject({ error: { code: 'admin_unit_overlaps', messageVi: expect.any(String) } });

    const bad = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'district', name: '', validFrom: '2025-02-30', kind: 'làng', extra: 1 });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad).sort()).toEqual(['extra', 'level', 'name', 'validFrom']);
    const provinceWithParent = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'province', name: 'Tỉnh Thử', parentId: dongNai.id, validFrom: '2027-01-01', kind: 'xã' });
    expect(fieldsOf(provinceWithParent).sort()).toEqual(['kind', 'parentId']);
    const orphanWard = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'ward', name: 'Phường Thử', validFrom: '2027-01-01' });
    expect(fieldsOf(orphanWard)).toEqual(['parentId']);
    const unknownParent = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'ward', name: 'Phường Thử', parentId: randomUUID(), validFrom: '2027-01-01' });
    expect(fieldsOf(unknownParent)).toEqual(['parentId']);

    const province = (
      await m
        .http()
        .post('/api/v1/admin-units')
        .set(officer())
        .send({ level: 'province', name: 'Tỉnh Thử Nghiệm', kind: 'tỉnh', validFrom: '2026-01-01', code: '99' })
        .expect(201)
    ).body as Unit;
    const wrongStart = await m
      .http()
      .post(`/api/v1/admin-units/${province.id}/end`)
      .set(officer())
      .send({ validTo: '2026-06-30', successorIds: [dongNai.id, binhPhuoc.id, binhPhuoc.id] });
    expect(wrongStart.status).toBe(400);
    expect(fieldsOf(wrongStart).sort()).toEqual(['successorIds[2]']);
    const wrongStart2 = await m
      .http()
      .post(`/api/v1/admin-units/${province.id}/end`)
      .set(officer())
      .send({ validTo: '2026-06-30', successorIds: [dongNai.id, binhPhuoc.id, randomUUID()] });
    expect(fieldsOf(wrongStart2).sort()).toEqual(['successorIds[0]', 'successorIds[1]', 'successorIds[2]']);
    const noSuccessor = await m
      .http()
      .post(`/api/v1/admin-units/${province.id}/end`)
      .set(officer())
      .send({ validTo: '30/06/2026', successorIds: [] });
    expect(fieldsOf(noSuccessor).sort()).toEqual(['successorIds', 'validTo']);
    const sameCode = await m
      .http()
      .post('/api/v1/admin-units')
      .set(officer())
      .send({ level: 'province', name: 'Tỉnh Khác', validFrom: '2026-06-01', code: '99' });
    expect(sameCode.status).toBe(409);
  });

  it('officers only: 401 without a token, 403 with a merchant key; unknown unit 404', async () => {
    const body = { level: 'province', name: 'Tỉnh Z', validFrom: '2027-01-01' };
    expect((await m.http().post('/api/v1/admin-units').send(body)).status).toBe(401);
    expect(
      (await m.http().post(`/api/v1/admin-units/${dongNai.id}/end`).send({ validTo: '2030-01-01', successorIds: [] }))
        .status,
    ).toBe(401);
    const shop = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        shopName: 'Quán Z',
        ownerName: 'Ngô Văn Z',
        phone: '0977000111',
        taxId: '070185000111',
        category: 'other',
        streetId: (await streetByName(m, 'Lê Duẩn')).id,
        houseNumber: '1',
        payoutAccounts: [{ bankBin: '970436', accountNumber: '7777000111', accountName: 'Ngo Van Z' }],
      })
      .expect(201);
    const key = (shop.body as { apiKey: string }).apiKey;
    expect((await m.http().post('/api/v1/admin-units').set('authorization', `Bearer ${key}`).send(body)).status).toBe(
      403,
    );
    expect(
      (
        await m
          .http()
          .post(`/api/v1/admin-units/${randomUUID()}/end`)
          .set(officer())
          .send({ validTo: '2026-01-01', successorIds: [dongNai.id] })
      ).status,
    ).toBe(404);
  });
});

describe('demo seed (real PostgreSQL)', () => {
  let m: MerchantApp;

  beforeAll(async () => {
    m = await startMerchantApp('merchant-demo-seed');
  });

  afterAll(async () => {
    await m?.close();
  });

  it('creates approved shops on each pilot street with events and audit entries, once', async () => {
    const context = {
      dataSource: m.dataSource,
      outbox: new OutboxWriter(merchantCatalog),
      logger: pino({ level: 'silent' }),
    };
    const env = { NODE_ENV: 'development' };
    expect(await seedDemoMerchants(context, env)).toEqual({ created: 8 });
    expect(await seedDemoMerchants(context, env)).toEqual({ created: 0 });

    const perStreet = (await m.dataSource.query(
      `SELECT s.name, count(*)::int AS n, bool_and(m.status = 'active') AS approved
       FROM merchant m JOIN street s ON s.id = m.street_id GROUP BY s.name ORDER BY s.name`,
    )) as { name: string; n: number; approved: boolean }[];
    expect(perStreet).toEqual([
      { name: 'Hùng Vương', n: 4, approved: true },
      { name: 'Lê Duẩn', n: 4, approved: true },
    ]);
    const events = (await m.dataSource.query(
      "SELECT payload::json->>'type' AS type, count(*)::int AS n FROM outbox_message GROUP BY 1 ORDER BY 1",
    )) as { type: string; n: number }[];
    expect(events).toEqual([
      { type: 'merchant.approved', n: 8 },
      { type: 'merchant.registered', n: 8 },
    ]);
    const audit = (await m.dataSource.query(
      'SELECT action, actor_kind, actor_name, count(*)::int AS n FROM audit_log GROUP BY 1, 2, 3 ORDER BY 1',
    )) as { action: string; actor_kind: string; actor_name: string | null; n: number }[];
    expect(audit).toEqual([
      { action: 'api_key.created', actor_kind: 'system', actor_name: null, n: 1 },
      { action: 'merchant.approved', actor_kind: 'officer', actor_name: 'admin', n: 8 },
      { action: 'merchant.password_set', actor_kind: 'system', actor_name: null, n: 1 },
      { action: 'merchant.registered', actor_kind: 'public', actor_name: null, n: 8 },
    ]);
    const [{ n: flags }] = (await m.dataSource.query('SELECT count(*)::int AS n FROM duplicate_flag')) as {
      n: number;
    }[];
    expect(flags).toBe(0);

    // The published development credentials work.
    const own = await m.http().get('/api/v1/merchants?status=active').set('authorization', `Bearer ${DEMO_API_KEY}`);
    expect(own.status).toBe(403);
    const [demo] = (await m.dataSource.query('SELECT merchant_id FROM merchant_api_key WHERE label IS NOT NULL')) as {
      merchant_id: string;
    }[];
    await m
      .http()
      .get(`/api/v1/merchants/${demo.merchant_id}`)
      .set('authorization', `Bearer ${DEMO_API_KEY}`)
      .expect(200);
    await m.http().post('/api/v1/auth/login').send({ username: '0912468135', password: DEMO_PASSWORD }).expect(200);
  });

  it('seeds nothing in production', async () => {
    const context = {
      dataSource: m.dataSource,
      outbox: new OutboxWriter(merchantCatalog),
      logger: pino({ level: 'silent' }),
    };
    expect(await seedDemoMerchants(context, { NODE_ENV: 'production' })).toEqual({ created: 0 });
  });
});
