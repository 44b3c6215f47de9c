import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  MerchantApp,
  officerToken,
  outboxFor,
  publishedEvents,
  startMerchantApp,
  streetByName,
  validRegistration,
} from './merchant-app';

describe('officer review, authentication and audit (HTTP, real PostgreSQL and Kafka)', () => {
  let m: MerchantApp;
  let streetId: string;
  let token: string;
  let counter = 0;
  const officer = () => ({ authorization: `Bearer ${token}` });

  /** A fresh pending merchant with its own tax id, phone and account, so no flags interfere. */
  async function register(): Promise<{ id: string; apiKey: string }> {
    counter += 1;
    const response = await m
      .http()
      .post('/api/v1/merchants')
      .send({
        ...validRegistration,
        streetId,
        shopName: `Quán số ${counter}`,
        phone: `09120000${String(counter).padStart(2, '0')}`,
        taxId: `0700950${String(counter).padStart(5, '0')}`,
        payoutAccounts: [{ bankBin: '970436', accountNumber: `10000000${counter}`, accountName: 'Le Van C' }],
      })
      .expect(201);
    return response.body as { id: string; apiKey: string };
  }

  beforeAll(async () => {
    m = await startMerchantApp('merchant-review');
    streetId = (await streetByName(m, 'Lê Duẩn')).id;
    token = await officerToken(m);
  });

  afterAll(async () => {
    await m?.close();
  });

  describe('login and who may call what', () => {
    it('the seeded officer logs in; a wrong password or unknown user is 401 without saying which', async () => {
      const ok = await m.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'admin-dev-password' });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ token: expect.stringMatching(/^v1\./), expiresAt: expect.any(String) });
      const wrong = await m.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'nope' });
      const unknown = await m.http().post('/api/v1/auth/login').send({ username: 'root', password: 'nope' });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      const errorOf = (r: { body: unknown }) => {
        const { requestId: _requestId, ...rest } = (r.body as { error: { requestId: string } }).error;
        return rest;
      };
      expect(errorOf(wrong)).toEqual(errorOf(unknown));
      expect(errorOf(wrong)).toMatchObject({
        code: 'invalid_credentials',
        messageVi: 'Sai tên đăng nhập hoặc mật khẩu',
      });
      const junk = await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: ['admin'], extra: 1 });
      expect(junk.status).toBe(400);
    });

    it('officer routes need an officer token: 401 without or with a bad one, 403 with a merchant key', async () => {
      const { id, apiKey } = await register();
      expect((await m.http().get('/api/v1/merchants?status=pending')).status).toBe(401);
      expect((await m.http().get('/api/v1/merchants').set('authorization', 'Bearer v1.forged.token')).status).toBe(401);
      expect((await m.http().get('/api/v1/merchants').set('authorization', 'Basic YWRtaW46YWRtaW4=')).status).toBe(401);
      expect((await m.http().get('/api/v1/merchants').set('authorization', `Bearer ${apiKey}`)).status).toBe(403);
      expect(
        (await m.http().post(`/api/v1/merchants/${id}/approve`).set('authorization', `Bearer ${apiKey}`)).status,
      ).toBe(403);
      const forgedKey = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
      expect((await m.http().get(`/api/v1/merchants/${id}`).set('authorization', `Bearer ${forgedKey}`)).status).toBe(
        401,
      );
    });

    it('a merchant reads itself and never another merchant', async () => {
      const a = await register();
      const b = await register();
      expect((await m.http().get(`/api/v1/merchants/${a.id}`).set('authorization', `Bearer ${a.apiKey}`)).status).toBe(
        200,
      );
      const other = await m.http().get(`/api/v1/merchants/${b.id}`).set('authorization', `Bearer ${a.apiKey}`);
      expect(other.status).toBe(403);
      expect(JSON.stringify(other.body)).not.toMatch(/Quán số|09120000/); // nothing of b leaks
      expect(
        (await m.http().get(`/api/v1/merchants/${a.id}/audit-log`).set('authorization', `Bearer ${a.apiKey}`)).status,
      ).toBe(403);
      expect((await m.http().get('/api/v1/merchants/not-a-uuid').set(officer())).status).toBe(404);
      expect((await m.http().get(`/api/v1/merchants/${randomUUID()}`).set(officer())).status).toBe(404);
    });
  });

  describe('the review workflow', () => {
    it('pending shops are in the queue, oldest first, with their flags', async () => {
      const { id } = await register();
      const queue = await m.http().get('/api/v1/merchants?status=pending').set(officer()).expect(200);
      const entry = (queue.body as { id: string; status: string; duplicateFlags: unknown[] }[]).find(
        (q) => q.id === id,
      );
      expect(entry).toMatchObject({ status: 'pending', duplicateFlags: [] });
      expect((await m.http().get('/api/v1/merchants?status=open').set(officer())).status).toBe(400);
      expect((await m.http().get('/api/v1/merchants?limit=100000').set(officer())).status).toBe(400);
    });

    it('approve → suspend → reinstate → close: each change writes one event and one audit entry', async () => {
      const { id } = await register();
      const approved = await m.http().post(`/api/v1/merchants/${id}/approve`).set(officer()).expect(200);
      expect(approved.body).toMatchObject({ id, status: 'active', statusReason: null });
      await m
        .http()
        .post(`/api/v1/merchants/${id}/suspend`)
        .set(officer())
        .send({ reason: 'Báo cáo mã QR bị dán đè' })
        .expect(200);
      await m.http().post(`/api/v1/merchants/${id}/reinstate`).set(officer()).send({}).expect(200);
      const closed = await m
        .http()
        .post(`/api/v1/merchants/${id}/close`)
        .set(officer())
        .send({ reason: 'Ngừng kinh doanh' })
        .expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', statusReason: 'Ngừng kinh doanh' });

      const events = await outboxFor(m.dataSource, id);
      expect(events.map((e) => [e.type, e.data.previousStatus ?? null, e.data.status])).toEqual([
        ['merchant.registered', null, 'pending'],
        ['merchant.approved', 'pending', 'active'],
        ['merchant.suspended', 'active', 'suspended'],
        ['merchant.reinstated', 'suspended', 'active'],
        ['merchant.closed', 'active', 'closed'],
      ]);
      expect(events[1].data).toMatchObject({
        merchantId: id,
        streetId,
        wardId: expect.any(String),
        category: 'food_drink',
        changedBy: expect.any(String),
        payoutAccounts: [
          { bankBin: '970436', accountNumber: expect.stringMatching(/^10000000/), accountName: 'LE VAN C' },
        ],
      });
      expect(JSON.stringify(events)).not.toMatch(/09120000|0700950/);

      const audit = await m.http().get(`/api/v1/merchants/${id}/audit-log`).set(officer()).expect(200);
      expect(
        (audit.body as Record<string, unknown>[]).map((a) => [
          a.action,
          (a.actor as { kind: string; name: string | null }).name,
          a.fromStatus,
          a.toStatus,
          a.reason,
        ]),
      ).toEqual([
        ['merchant.registered', null, null, 'pending', null],
        ['merchant.approved', 'admin', 'pending', 'active', null],
        ['merchant.suspended', 'admin', 'active', 'suspended', 'Báo cáo mã QR bị dán đè'],
        ['merchant.reinstated', 'admin', 'suspended', 'active', null],
        ['merchant.closed', 'admin', 'active', 'closed', 'Ngừng kinh doanh'],
      ]);
      expect((audit.body as { at: string }[])[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('reject needs a reason (400 naming it); a refused change writes nothing', async () => {
      const { id } = await register();
      const missing = await m.http().post(`/api/v1/merchants/${id}/reject`).set(officer()).send({});
      expect(missing.status).toBe(400);
      expect(
        (missing.body as { error: { details: { fields: { field: string }[] } } }).error.details.fields[0].field,
      ).toBe('reason');
      const blank = await m.http().post(`/api/v1/merchants/${id}/reject`).set(officer()).send({ reason: '   ' });
      expect(blank.status).toBe(400);
      const junk = await m
        .http()
        .post(`/api/v1/merchants/${id}/reject`)
        .set(officer())
        .send({ reason: { text: 'x' }, note: 1 });
      expect(junk.status).toBe(400);
      expect((await outboxFor(m.dataSource, id)).map((e) => e.type)).toEqual(['merchant.registered']);
      await m
        .http()
        .post(`/api/v1/merchants/${id}/reject`)
        .set(officer())
        .send({ reason: 'Số tài khoản không đúng tên chủ' })
        .expect(200);
      expect((await outboxFor(m.dataSource, id)).map((e) => e.type)).toEqual([
        'merchant.registered',
        'merchant.rejected',
      ]);
    });

    it('a transition the workflow does not allow is 409 and changes nothing', async () => {
      const { id } = await register();
      const response = await m.http().post(`/api/v1/merchants/${id}/reinstate`).set(officer());
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        error: { code: 'invalid_transition', details: { status: 'pending', action: 'reinstate' } },
      });
      expect((await m.http().post(`/api/v1/merchants/${randomUUID()}/approve`).set(officer())).status).toBe(404);
      expect((await outboxFor(m.dataSource, id)).map((e) => e.type)).toEqual(['merchant.registered']);
    });

    it('two officers deciding at once: exactly one wins, the other gets 409, one event is written', async () => {
      for (let round = 0; round < 5; round++) {
        const { id } = await register();
        const [approve, reject] = await Promise.all([
          m.http().post(`/api/v1/merchants/${id}/approve`).set(officer()),
          m.http().post(`/api/v1/merchants/${id}/reject`).set(officer()).send({ reason: 'Trùng cửa hàng khác' }),
        ]);
        expect([approve.status, reject.status].sort()).toEqual([200, 409]);
        const events = await outboxFor(m.dataSource, id);
        expect(events).toHaveLength(2);
        const winner = approve.status === 200 ? 'merchant.approved' : 'merchant.rejected';
        expect(events[1].type).toBe(winner);
        const audit = (await m.dataSource.query('SELECT count(*)::int AS n FROM audit_log WHERE merchant_id = $1', [
          id,
        ])) as { n: number }[];
        expect(audit[0].n).toBe(2);
      }
      const { id } = await register();
      const twice = await Promise.all(
        [1, 2, 3].map(() => m.http().post(`/api/v1/merchants/${id}/approve`).set(officer())),
      );
      expect(twice.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(await outboxFor(m.dataSource, id)).toHaveLength(2);
    });

    it('the audit log cannot be edited or deleted, even by SQL', async () => {
      await expect(m.dataSource.query("UPDATE audit_log SET reason = 'x'")).rejects.toThrow('append-only');
      await expect(m.dataSource.query('DELETE FROM audit_log')).rejects.toThrow('append-only');
    });
  });

  it('the events reach merchant.events.v1 on Kafka, keyed by merchant id, in order', async () => {
    const { id } = await register();
    await m.http().post(`/api/v1/merchants/${id}/approve`).set(officer()).expect(200);
    const received = await publishedEvents(m, id, (messages) => messages.length >= 2);
    expect(received.map((r) => JSON.parse(r.value!.toString()).type)).toEqual([
      'merchant.registered',
      'merchant.approved',
    ]);
    expect(received[0].headers?.['event-type']?.toString()).toBe('merchant.registered');
    const [{ n }] = (await m.dataSource.query('SELECT count(*)::int AS n FROM outbox_message')) as { n: number }[];
    expect(n).toBe(0);
  });
});
