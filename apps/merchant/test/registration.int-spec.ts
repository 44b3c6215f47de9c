import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MerchantApp,
  officerToken,
  outboxFor,
  startMerchantApp,
  streetByName,
  validRegistration,
} from './merchant-app';

describe('merchant registration and street registry (HTTP, real PostgreSQL)', () => {
  let m: MerchantApp;
  let hungVuong: { id: string; ward: { id: string } };
  let leDuan: { id: string; ward: { id: string } };
  let token: string;
  const body = () => ({ ...validRegistration, streetId: hungVuong.id });

  beforeAll(async () => {
    m = await startMerchantApp('merchant-registration');
    hungVuong = await streetByName(m, 'Hùng Vương');
    leDuan = await streetByName(m, 'Lê Duẩn');
    token = await officerToken(m);
  });

  afterAll(async () => {
    await m?.close();
  });

  it('lists the seeded pilot streets with their current ward and the ward they were in before 1 July 2025', async () => {
    const response = await m.http().get('/api/v1/streets').expect(200);
    const streets = response.body as Record<string, unknown>[];
    expect(streets.map((s) => s.name)).toEqual(['Hùng Vương', 'Lê Duẩn']);
    expect(streets[0]).toEqual({
      id: hungVuong.id,
      name: 'Hùng Vương',
      ward: expect.objectContaining({ name: 'Bình Phước', kind: 'phường', province: 'Đồng Nai' }),
      history: [
        {
          ward: expect.objectContaining({ name: 'Tân Bình', district: 'Đồng Xoài', province: 'Bình Phước' }),
          validFrom: null,
          validTo: '2025-06-30',
        },
      ],
      programme: 'Tuyến phố không dùng tiền mặt',
      targetBusinesses: null,
      targetDate: null,
    });
    expect((streets[1].history as { ward: { name: string } }[])[0].ward.name).toBe('Tân Phú');
  });

  it('seeding happened once: the migration does not duplicate units or streets', async () => {
    const [{ n }] = (await m.dataSource.query(
      "SELECT count(*)::int AS n FROM admin_unit WHERE key = 'ward:binh-phuoc'",
    )) as {
      n: number;
    }[];
    expect(n).toBe(1);
  });

  it('registers a shop: 201 with the id, pending and an API key shown once and stored only as a hash', async () => {
    const response = await m.http().post('/api/v1/merchants').send(body()).expect(201);
    const { id, status, apiKey } = response.body as { id: string; status: string; apiKey: string };
    expect(Object.keys(response.body as object).sort()).toEqual(['apiKey', 'id', 'status']);
    expect(status).toBe('pending');
    expect(apiKey).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
    const keys = (await m.dataSource.query(
      'SELECT lookup_prefix, key_hash FROM merchant_api_key WHERE merchant_id = $1',
      [id],
    )) as { lookup_prefix: string; key_hash: string }[];
    expect(keys).toHaveLength(1);
    expect(keys[0].lookup_prefix).toBe(apiKey.slice(0, 12));
    expect(keys[0].key_hash).not.toContain(apiKey.slice(4));

    const [row] = (await m.dataSource.query('SELECT * FROM merchant WHERE id = $1', [id])) as Record<string, unknown>[];
    expect(row).toMatchObject({ status: 'pending', phone: '0912345678', tax_id: '0100109106', tax_id_kind: 'mst10' });

    const events = await outboxFor(m.dataSource, id);
    expect(events).toEqual([
      {
        key: id,
        topic: 'merchant.events.v1',
        type: 'merchant.registered',
        data: {
          merchantId: id,
          status: 'pending',
          shopName: 'Phở Hùng Vương',
          category: 'food_drink',
          streetId: hungVuong.id,
          wardId: hungVuong.ward.id,
          registeredAt: expect.any(String),
          payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567', accountName: 'NGUYEN VAN DUC' }],
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/0912345678|0100109106/);

    const own = await m.http().get(`/api/v1/merchants/${id}`).set('authorization', `Bearer ${apiKey}`).expect(200);
    expect(own.body).toMatchObject({ id, status: 'pending', taxIdKind: 'mst10' });
    expect(own.body).not.toHaveProperty('duplicateFlags');
  });

  it('flags a registration sharing the tax id, the phone on the street and the account; the officer sees why', async () => {
    const first = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        ...body(),
        taxId: '0312345673',
        phone: '0987000111',
        payoutAccounts: [{ ...validRegistration.payoutAccounts[0], accountNumber: '1111222233' }],
      })
      .expect(201);
    const second = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        ...body(),
        shopName: 'Phở Hùng Vương 2',
        taxId: '0312345673-001',
        phone: '0987000111',
        payoutAccounts: [{ ...validRegistration.payoutAccounts[0], accountNumber: '1111222233' }],
      })
      .expect(201);
    const firstId = (first.body as { id: string }).id;
    const secondId = (second.body as { id: string }).id;
    const view = await m
      .http()
      .get(`/api/v1/merchants/${secondId}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect((view.body as { duplicateFlags: unknown[] }).duplicateFlags).toEqual([
      {
        rule: 'same_payout_account',
        otherMerchantId: firstId,
        otherShopName: 'Phở Hùng Vương',
        otherStatus: 'pending',
        account: '970436:1111222233',
      },
      {
        rule: 'same_phone_on_street',
        otherMerchantId: firstId,
        otherShopName: 'Phở Hùng Vương',
        otherStatus: 'pending',
        account: null,
      },
    ]);
    // The same phone on another street is not a duplicate.
    const elsewhere = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        ...body(),
        streetId: leDuan.id,
        taxId: '070095001234',
        phone: '0987000111',
        payoutAccounts: [{ bankBin: '970418', accountNumber: '9999888877', accountName: 'Tran Thi B' }],
      })
      .expect(201);
    const queue = await m
      .http()
      .get('/api/v1/merchants?status=pending')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    const entry = (queue.body as { id: string; taxIdKind: string; duplicateFlags: unknown[] }[]).find(
      (q) => q.id === (elsewhere.body as { id: string }).id,
    );
    expect(entry).toMatchObject({ taxIdKind: 'personal_id', duplicateFlags: [] });
  });

  describe('bad input is a 4xx naming the field, never a 5xx', () => {
    const post = (payload: unknown) =>
      m
        .http()
        .post('/api/v1/merchants')
        .send(payload as object);
    const fieldsOf = (response: { body: unknown }) =>
      ((response.body as { error: { details?: { fields: { field: string }[] } } }).error.details?.fields ?? []).map(
        (f) => f.field,
      );

    it('reports every field error at once, bilingual, with paths into the account list', async () => {
      const response = await post({
        ...body(),
        phone: '0271123456',
        taxId: '0100109107',
        payoutAccounts: [{ bankBin: '123456', accountNumber: 'abc', accountName: '' }],
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        error: { code: 'validation_failed', message: 'Invalid input', messageVi: 'Dữ liệu không hợp lệ' },
      });
      expect(fieldsOf(response)).toEqual([
        'phone',
        'taxId',
        'payoutAccounts[0].bankBin',
        'payoutAccounts[0].accountNumber',
        'payoutAccounts[0].accountName',
      ]);
    });

    it.each([
      [
        'wrong types',
        { ...validRegistration, shopName: 42, payoutAccounts: {} },
        ['shopName', 'streetId', 'payoutAccounts'],
      ],
      [
        'missing fields',
        {},
        ['shopName', 'ownerName', 'phone', 'taxId', 'category', 'streetId', 'houseNumber', 'payoutAccounts'],
      ],
      [
        'unknown fields',
        {
          ...validRegistration,
          status: 'active',
          payoutAccounts: [{ ...validRegistration.payoutAccounts[0], primary: true }],
        },
        ['streetId', 'payoutAccounts[0].primary', 'status'],
      ],
      [
        'huge strings',
        { ...validRegistration, shopName: 'x'.repeat(100_000), houseNumber: '1'.repeat(100_000) },
        ['shopName', 'streetId', 'houseNumber'],
      ],
      [
        'nested junk',
        { ...validRegistration, ownerName: { $ne: null }, payoutAccounts: [[1, 2], null, 'x'] },
        ['ownerName', 'streetId', 'payoutAccounts[0]', 'payoutAccounts[1]', 'payoutAccounts[2]'],
      ],
      ['a category outside the list', { ...validRegistration, category: 'FOOD_DRINK' }, ['category', 'streetId']],
    ])('%s', async (_name, payload, fields) => {
      const response = await post(payload);
      expect(response.status).toBe(400);
      expect(fieldsOf(response)).toEqual(fields);
    });

    it('a street that is not in the registry is a field error on streetId', async () => {
      const response = await post({ ...body(), streetId: '0193c7a4-0000-7000-8000-00000000dead' });
      expect(response.status).toBe(400);
      expect(fieldsOf(response)).toEqual(['streetId']);
    });

    it('malformed JSON, a non-JSON body, an array body, prototype pollution and an oversize body are all 4xx', async () => {
      const raw = (data: string, type = 'application/json') =>
        m.http().post('/api/v1/merchants').set('content-type', type).send(data);
      expect((await raw('{"shopName": ')).status).toBe(400);
      // Nest's Fastify adapter parses text/plain into a string, which is not a JSON object.
      expect((await raw('shopName=x', 'text/plain')).status).toBe(400);
      expect((await raw('<x/>', 'application/xml')).status).toBe(415);
      expect((await raw('[1,2,3]')).status).toBe(400);
      expect((await raw('{"__proto__": {"isAdmin": true}}')).status).toBe(400);
      expect((await raw('null')).status).toBe(400);
      expect((await raw(JSON.stringify({ ...body(), shopName: 'x'.repeat(300_000) }))).status).toBe(413);
      expect((await m.http().post('/api/v1/merchants')).status).toBe(400);
    });

    it('nothing was stored by any refused request', async () => {
      const [{ n }] = (await m.dataSource.query(
        "SELECT count(*)::int AS n FROM merchant WHERE shop_name LIKE 'xxx%'",
      )) as {
        n: number;
      }[];
      expect(n).toBe(0);
    });
  });

  describe('street registry (officer)', () => {
    it('an officer adds a street in a current ward and sets its target; the public list shows it', async () => {
      const created = await m
        .http()
        .post('/api/v1/streets')
        .set('authorization', `Bearer ${token}`)
        .send({ name: 'Phú Riềng Đỏ', wardId: hungVuong.ward.id })
        .expect(201);
      const id = (created.body as { id: string }).id;
      expect(created.body).toMatchObject({
        name: 'Phú Riềng Đỏ',
        ward: { id: hungVuong.ward.id, province: 'Đồng Nai' },
        history: [],
      });
      const target = await m
        .http()
        .put(`/api/v1/streets/${id}/target`)
        .set('authorization', `Bearer ${token}`)
        .send({ targetBusinesses: 120, targetDate: '2026-12-31' })
        .expect(200);
      expect(target.body).toMatchObject({ targetBusinesses: 120, targetDate: '2026-12-31' });
      const list = await m.http().get('/api/v1/streets').expect(200);
      expect((list.body as { id: string }[]).find((s) => s.id === id)).toMatchObject({ targetBusinesses: 120 });
      const audit = (await m.dataSource.query(
        "SELECT action, actor_name FROM audit_log WHERE entity = 'street' AND entity_id = $1 ORDER BY id",
        [id],
      )) as { action: string; actor_name: string }[];
      expect(audit).toEqual([
        { action: 'street.created', actor_name: 'admin' },
        { action: 'street.target_set', actor_name: 'admin' },
      ]);
    });

    it('refuses a second street of the same name in the ward (409), a former ward (400) and bad targets (400)', async () => {
      const auth = { authorization: `Bearer ${token}` };
      expect(
        (await m.http().post('/api/v1/streets').set(auth).send({ name: 'hùng vương', wardId: hungVuong.ward.id }))
          .status,
      ).toBe(409);
      const streets = (await m.http().get('/api/v1/streets')).body as { history: { ward: { id: string } }[] }[];
      const formerWard = streets[0].history[0].ward.id;
      const former = await m.http().post('/api/v1/streets').set(auth).send({ name: 'Đường Mới', wardId: formerWard });
      expect(former.status).toBe(400);
      const bad = await m
        .http()
        .put(`/api/v1/streets/${hungVuong.id}/target`)
        .set(auth)
        .send({ targetBusinesses: -1, targetDate: '2026-02-30' });
      expect(bad.status).toBe(400);
      expect(
        (bad.body as { error: { details: { fields: { field: string }[] } } }).error.details.fields.map((f) => f.field),
      ).toEqual(['targetBusinesses', 'targetDate']);
    });

    it('without an officer token, street changes are 401', async () => {
      expect((await m.http().post('/api/v1/streets').send({ name: 'X Y', wardId: hungVuong.ward.id })).status).toBe(
        401,
      );
      expect(
        (await m.http().put(`/api/v1/streets/${hungVuong.id}/target`).send({ targetBusinesses: 1, targetDate: null }))
          .status,
      ).toBe(401);
    });
  });
});
