import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  MerchantApp,
  auditActions,
  fieldsOf,
  officerToken,
  outboxFor,
  registerShop,
  startMerchantApp,
  streetByName,
} from './merchant-app';

describe('merchant API keys and web login (HTTP, real PostgreSQL)', () => {
  let m: MerchantApp;
  let streetId: string;
  let token: string;
  let n = 0;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const register = () => registerShop(m, streetId, ++n);

  beforeAll(async () => {
    m = await startMerchantApp('merchant-credentials');
    streetId = (await streetByName(m, 'Hùng Vương')).id;
    token = await officerToken(m);
  });

  afterAll(async () => {
    await m?.close();
  });

  describe('API keys', () => {
    it('lists keys without secrets, creates one shown once, rotates (create then revoke) with audit entries', async () => {
      const shop = await register();
      const listed = await m.http().get(`/api/v1/merchants/${shop.id}/api-keys`).set(bearer(shop.apiKey)).expect(200);
      const [first] = listed.body as Record<string, unknown>[];
      expect(Object.keys(first).sort()).toEqual(['createdAt', 'id', 'label', 'lastUsedAt', 'prefix', 'revokedAt']);
      expect(first).toMatchObject({ prefix: shop.apiKey.slice(0, 12), label: null, revokedAt: null });
      expect(JSON.stringify(listed.body)).not.toContain(shop.apiKey.slice(12));

      const created = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/api-keys`)
        .set(bearer(shop.apiKey))
        .send({ label: '  Máy POS quầy 2 ' })
        .expect(201);
      const { id: newId, apiKey: newKey } = created.body as { id: string; apiKey: string };
      expect(Object.keys(created.body as object).sort()).toEqual(['apiKey', 'id']);
      expect(newKey).toMatch(/^csk_/);
      await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(newKey)).expect(200);

      const revoked = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/api-keys/${first.id as string}/revoke`)
        .set(bearer(newKey))
        .expect(200);
      expect(revoked.body).toMatchObject({ id: first.id, revokedAt: expect.any(String) });
      // Revoked keys stop working with the very next request.
      expect((await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey))).status).toBe(401);
      // Revoking again answers the same and writes nothing.
      await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/api-keys/${first.id as string}/revoke`)
        .set(bearer(newKey))
        .expect(200);

      const after = await m.http().get(`/api/v1/merchants/${shop.id}/api-keys`).set(bearer(token)).expect(200);
      expect((after.body as { id: string; label: string | null }[]).map((k) => [k.id, k.label])).toEqual([
        [first.id, null],
        [newId, 'Máy POS quầy 2'],
      ]);
      expect(await auditActions(m, shop.id)).toEqual(['merchant.registered', 'api_key.created', 'api_key.revoked']);
      // Keys are not events: nothing besides the registration in the outbox.
      expect((await outboxFor(m.dataSource, shop.id)).map((e) => e.type)).toEqual(['merchant.registered']);
    });

    it('the last active key cannot be revoked (409, bilingual) unless the owner can log in by password', async () => {
      const shop = await register();
      const [key] = (await m.http().get(`/api/v1/merchants/${shop.id}/api-keys`).set(bearer(token)).expect(200))
        .body as { id: string }[];
      const refused = await m.http().post(`/api/v1/merchants/${shop.id}/api-keys/${key.id}/revoke`).set(bearer(token));
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        error: { code: 'last_api_key', messageVi: expect.stringContaining('khoá API cuối cùng') },
      });
      await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(shop.apiKey))
        .send({ password: 'mật-khẩu-rất-dài' })
        .expect(200);
      await m.http().post(`/api/v1/merchants/${shop.id}/api-keys/${key.id}/revoke`).set(bearer(token)).expect(200);
      expect(await auditActions(m, shop.id)).toEqual([
        'merchant.registered',
        'merchant.password_set',
        'api_key.revoked',
      ]);
    });

    it('auth boundaries: another merchant 403, no credentials 401, officers list and revoke but never create', async () => {
      const a = await register();
      const b = await register();
      const [keyB] = (await m.http().get(`/api/v1/merchants/${b.id}/api-keys`).set(bearer(token)).expect(200)).body as {
        id: string;
      }[];
      expect((await m.http().get(`/api/v1/merchants/${b.id}/api-keys`).set(bearer(a.apiKey))).status).toBe(403);
      expect((await m.http().post(`/api/v1/merchants/${b.id}/api-keys`).set(bearer(a.apiKey))).status).toBe(403);
      expect(
        (await m.http().post(`/api/v1/merchants/${b.id}/api-keys/${keyB.id}/revoke`).set(bearer(a.apiKey))).status,
      ).toBe(403);
      // A's own route with B's key id: not found, nothing revoked.
      expect(
        (await m.http().post(`/api/v1/merchants/${a.id}/api-keys/${keyB.id}/revoke`).set(bearer(a.apiKey))).status,
      ).toBe(404);
      expect((await m.http().get(`/api/v1/merchants/${a.id}/api-keys`)).status).toBe(401);
      expect((await m.http().post(`/api/v1/merchants/${a.id}/api-keys`)).status).toBe(401);
      expect((await m.http().post(`/api/v1/merchants/${a.id}/api-keys`).set(bearer(token))).status).toBe(403);
      expect((await m.http().get(`/api/v1/merchants/${randomUUID()}/api-keys`).set(bearer(token))).status).toBe(404);
      expect(
        (await m.http().post(`/api/v1/merchants/${a.id}/api-keys/not-a-key/revoke`).set(bearer(token))).status,
      ).toBe(404);
      const bad = await m
        .http()
        .post(`/api/v1/merchants/${a.id}/api-keys`)
        .set(bearer(a.apiKey))
        .send({ label: 'x'.repeat(61), secret: 'mine' });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad).sort()).toEqual(['label', 'secret']);
      await m.http().get(`/api/v1/merchants/${b.id}`).set(bearer(b.apiKey)).expect(200);
    });

    it('records lastUsedAt on use, at most once a minute', async () => {
      const shop = await register();
      await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey)).expect(200);
      const read = async () =>
        (
          (await m.dataSource.query('SELECT last_used_at FROM merchant_api_key WHERE merchant_id = $1', [shop.id])) as {
            last_used_at: Date | null;
          }[]
        )[0].last_used_at;
      const first = await read();
      expect(first).toBeInstanceOf(Date);
      await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey)).expect(200);
      expect(await read()).toEqual(first);
      // A minute later (simulated by ageing the stored value) the next use is recorded again.
      await m.dataSource.query(
        "UPDATE merchant_api_key SET last_used_at = last_used_at - interval '61 seconds' WHERE merchant_id = $1",
        [shop.id],
      );
      await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey)).expect(200);
      expect((await read())!.getTime()).toBeGreaterThan(first!.getTime() - 1000);
      const listed = await m.http().get(`/api/v1/merchants/${shop.id}/api-keys`).set(bearer(shop.apiKey)).expect(200);
      expect((listed.body as { lastUsedAt: string | null }[])[0].lastUsedAt).not.toBeNull();
    });
  });

  describe('web login for shop owners', () => {
    it('sets a password with the API key, logs in by phone (any spelling) or merchant id; the token works like the key', async () => {
      const shop = await register();
      expect(
        (await m.http().post('/api/v1/auth/login').send({ username: shop.phone, password: 'chua-co-mat-khau' })).status,
      ).toBe(401);
      await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(shop.apiKey))
        .send({ password: 'phở-ngon-mỗi-ngày' })
        .expect(200);
      const login = await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: `+84 ${shop.phone.slice(1)}`, password: 'phở-ngon-mỗi-ngày' })
        .expect(200);
      expect(login.body).toEqual({
        token: expect.stringMatching(/^v1\./),
        expiresAt: expect.any(String),
        role: 'merchant',
        merchantId: shop.id,
      });
      const session = (login.body as { token: string }).token;
      await m.http().post('/api/v1/auth/login').send({ username: shop.id, password: 'phở-ngon-mỗi-ngày' }).expect(200);

      // The token is accepted wherever the key is, and nowhere the key is not.
      await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(session)).expect(200);
      await m.http().get(`/api/v1/merchants/${shop.id}/api-keys`).set(bearer(session)).expect(200);
      const other = await register();
      expect((await m.http().get(`/api/v1/merchants/${other.id}`).set(bearer(session))).status).toBe(403);
      expect((await m.http().get('/api/v1/merchants').set(bearer(session))).status).toBe(403);
      expect((await m.http().post(`/api/v1/merchants/${shop.id}/approve`).set(bearer(session))).status).toBe(403);

      const wrong = await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: shop.phone, password: 'sai-mat-khau-123' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ error: { code: 'invalid_credentials' } });

      // From a session, changing the password needs the current one.
      const noCurrent = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(session))
        .send({ password: 'mật-khẩu-mới-2026' });
      expect(noCurrent.status).toBe(400);
      expect(fieldsOf(noCurrent)).toEqual(['currentPassword']);
      await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(session))
        .send({ password: 'mật-khẩu-mới-2026', currentPassword: 'phở-ngon-mỗi-ngày' })
        .expect(200);
      await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: shop.phone, password: 'mật-khẩu-mới-2026' })
        .expect(200);
      expect(await auditActions(m, shop.id)).toEqual([
        'merchant.registered',
        'merchant.password_set',
        'merchant.password_changed',
      ]);
    });

    it('password rules and who may set it: 400 naming the field, officers and other merchants 403', async () => {
      const shop = await register();
      const other = await register();
      const short = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(shop.apiKey))
        .send({ password: 'ngắn' });
      expect(short.status).toBe(400);
      expect(fieldsOf(short)).toEqual(['password']);
      const phoneAsPassword = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(shop.apiKey))
        .send({ password: shop.phone });
      expect(phoneAsPassword.status).toBe(400);
      const junk = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/password`)
        .set(bearer(shop.apiKey))
        .send({ password: 42, admin: true });
      expect(fieldsOf(junk).sort()).toEqual(['admin', 'password']);
      expect(
        (
          await m
            .http()
            .post(`/api/v1/merchants/${shop.id}/password`)
            .set(bearer(other.apiKey))
            .send({ password: 'mat-khau-dai-du-roi' })
        ).status,
      ).toBe(403);
      expect(
        (
          await m
            .http()
            .post(`/api/v1/merchants/${shop.id}/password`)
            .set(bearer(token))
            .send({ password: 'mat-khau-dai-du-roi' })
        ).status,
      ).toBe(403);
      expect(
        (await m.http().post(`/api/v1/merchants/${shop.id}/password`).send({ password: 'mat-khau-dai-du-roi' })).status,
      ).toBe(401);
      expect(await auditActions(m, shop.id)).toEqual(['merchant.registered']);
    });

    it('an owner of two shops with the same password is asked to log in by merchant id', async () => {
      const hv = await register();
      // Same phone on another street: allowed (a duplicate flag only).
      const leDuan = (await streetByName(m, 'Lê Duẩn')).id;
      const second = await m
        .http()
        .post('/api/v1/merchants')
        .send({
          shopName: 'Chi nhánh 2',
          ownerName: 'Trần Văn E',
          phone: hv.phone,
          taxId: '070185009999',
          category: 'grocery',
          streetId: leDuan,
          houseNumber: '9',
          payoutAccounts: [{ bankBin: '970416', accountNumber: '99990001', accountName: 'Tran Van E' }],
        })
        .expect(201);
      const secondShop = second.body as { id: string; apiKey: string };
      for (const s of [hv, secondShop]) {
        await m
          .http()
          .post(`/api/v1/merchants/${s.id}/password`)
          .set(bearer(s.apiKey))
          .send({ password: 'cung-mot-mat-khau' })
          .expect(200);
      }
      const ambiguous = await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: hv.phone, password: 'cung-mot-mat-khau' });
      expect(ambiguous.status).toBe(409);
      expect(ambiguous.body).toMatchObject({ error: { code: 'ambiguous_login' } });
      const byId = await m
        .http()
        .post('/api/v1/auth/login')
        .send({ username: secondShop.id, password: 'cung-mot-mat-khau' })
        .expect(200);
      expect((byId.body as { merchantId: string }).merchantId).toBe(secondShop.id);
    });
  });
});
