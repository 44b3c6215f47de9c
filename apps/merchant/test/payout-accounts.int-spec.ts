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

describe('payout accounts after registration (HTTP, real PostgreSQL)', () => {
  let m: MerchantApp;
  let streetId: string;
  let token: string;
  let n = 0;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const register = () => registerShop(m, streetId, ++n);
  const account = { bankBin: '970416', accountNumber: '1234 5678 90', accountName: 'Trần Văn Ê' };

  beforeAll(async () => {
    m = await startMerchantApp('merchant-payout-accounts');
    streetId = (await streetByName(m, 'Lê Duẩn')).id;
    token = await officerToken(m);
  });

  afterAll(async () => {
    await m?.close();
  });

  it('the merchant adds an account (normalised), with one event carrying every active account and one audit entry', async () => {
    const shop = await register();
    const added = await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/payout-accounts`)
      .set(bearer(shop.apiKey))
      .send(account)
      .expect(201);
    expect(added.body).toMatchObject({
      id: expect.any(String),
      bankBin: '970416',
      bankName: 'ACB',
      accountNumber: '1234567890',
      accountName: 'TRAN VAN E',
      active: true,
      duplicateOf: [],
    });
    const events = await outboxFor(m.dataSource, shop.id);
    expect(events.map((e) => e.type)).toEqual(['merchant.registered', 'merchant.payout_account_added']);
    expect(events[1].data).toEqual({
      merchantId: shop.id,
      status: 'pending',
      account: {
        id: (added.body as { id: string }).id,
        bankBin: '970416',
        accountNumber: '1234567890',
        accountName: 'TRAN VAN E',
        active: true,
      },
      payoutAccounts: [
        expect.objectContaining({ bankBin: '970436', active: true }),
        expect.objectContaining({ bankBin: '970416', accountNumber: '1234567890' }),
      ],
      occurredAt: expect.any(String),
    });
    expect(JSON.stringify(events[1])).not.toContain(shop.phone);
    expect(await auditActions(m, shop.id)).toEqual(['merchant.registered', 'merchant.payout_account_added']);
    const view = await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey)).expect(200);
    expect((view.body as { payoutAccounts: unknown[] }).payoutAccounts).toHaveLength(2);
  });

  it('an officer renames and deactivates; the last active account cannot be deactivated; a no-op writes nothing', async () => {
    const shop = await register();
    const view = await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(token)).expect(200);
    const firstId = (view.body as { payoutAccounts: { id: string }[] }).payoutAccounts[0].id;
    const last = await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${firstId}`)
      .set(bearer(token))
      .send({ active: false });
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ error: { code: 'last_payout_account', messageVi: expect.any(String) } });

    const second = await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/payout-accounts`)
      .set(bearer(token))
      .send({ ...account, accountNumber: `555000${n}` })
      .expect(201);
    const renamed = await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${firstId}`)
      .set(bearer(token))
      .send({ accountName: 'Trần Văn Ê Em' })
      .expect(200);
    expect(renamed.body).toMatchObject({ accountName: 'TRAN VAN E EM', active: true });
    await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${firstId}`)
      .set(bearer(token))
      .send({ accountName: 'TRAN VAN E EM' })
      .expect(200);
    const off = await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${firstId}`)
      .set(bearer(shop.apiKey))
      .send({ active: false })
      .expect(200);
    expect(off.body).toMatchObject({ active: false });

    const events = await outboxFor(m.dataSource, shop.id);
    expect(events.map((e) => e.type)).toEqual([
      'merchant.registered',
      'merchant.payout_account_added',
      'merchant.payout_account_changed',
      'merchant.payout_account_changed',
    ]);
    expect(events[3].data).toMatchObject({
      account: { id: firstId, active: false, accountName: 'TRAN VAN E EM' },
      payoutAccounts: [{ id: (second.body as { id: string }).id, active: true }],
    });
    const audit = (await m.dataSource.query(
      "SELECT actor_kind, details FROM audit_log WHERE merchant_id = $1 AND action = 'merchant.payout_account_changed' ORDER BY id",
      [shop.id],
    )) as { actor_kind: string; details: { before: unknown; after: unknown } }[];
    expect(audit.map((a) => [a.actor_kind, a.details.before, a.details.after])).toEqual([
      ['officer', { accountName: 'TRAN VAN E', active: true }, { accountName: 'TRAN VAN E EM', active: true }],
      ['merchant', { accountName: 'TRAN VAN E EM', active: true }, { accountName: 'TRAN VAN E EM', active: false }],
    ]);

    // Later status events carry only the active accounts (what payments may go to).
    await m.http().post(`/api/v1/merchants/${shop.id}/approve`).set(bearer(token)).expect(200);
    const approved = (await outboxFor(m.dataSource, shop.id)).at(-1)!;
    expect(approved.type).toBe('merchant.approved');
    expect((approved.data.payoutAccounts as { accountNumber: string }[]).map((a) => a.accountNumber)).toEqual([
      `555000${n}`,
    ]);
  });

  it('an account another merchant uses is flagged for the officer, not refused; the same account twice is 409', async () => {
    const a = await register();
    const b = await register();
    const shared = { bankBin: '970436', accountNumber: `20000000${n - 1}`, accountName: 'Tran Van E' };
    const added = await m
      .http()
      .post(`/api/v1/merchants/${b.id}/payout-accounts`)
      .set(bearer(b.apiKey))
      .send(shared)
      .expect(201);
    expect((added.body as { duplicateOf: string[] }).duplicateOf).toEqual([a.id]);
    const view = await m.http().get(`/api/v1/merchants/${b.id}`).set(bearer(token)).expect(200);
    expect((view.body as { duplicateFlags: unknown[] }).duplicateFlags).toEqual([
      expect.objectContaining({ rule: 'same_payout_account', otherMerchantId: a.id }),
    ]);
    const again = await m.http().post(`/api/v1/merchants/${b.id}/payout-accounts`).set(bearer(b.apiKey)).send(shared);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'payout_account_exists' } });
    expect((await outboxFor(m.dataSource, b.id)).map((e) => e.type)).toEqual([
      'merchant.registered',
      'merchant.payout_account_added',
    ]);
  });

  it('validation names the fields; other merchants get 403, no credentials 401; unknown ids 404', async () => {
    const shop = await register();
    const other = await register();
    const bad = await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/payout-accounts`)
      .set(bearer(shop.apiKey))
      .send({ bankBin: '123456', accountNumber: 'abc', accountName: '', primary: true });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad).sort()).toEqual(['accountName', 'accountNumber', 'bankBin', 'primary']);
    const emptyChange = await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${randomUUID()}`)
      .set(bearer(shop.apiKey))
      .send({});
    expect(emptyChange.status).toBe(400);
    const wrongType = await m
      .http()
      .put(`/api/v1/merchants/${shop.id}/payout-accounts/${randomUUID()}`)
      .set(bearer(shop.apiKey))
      .send({ active: 'no', accountNumber: '1' });
    expect(fieldsOf(wrongType).sort()).toEqual(['accountNumber', 'active']);
    expect(
      (await m.http().post(`/api/v1/merchants/${shop.id}/payout-accounts`).set(bearer(other.apiKey)).send(account))
        .status,
    ).toBe(403);
    expect((await m.http().post(`/api/v1/merchants/${shop.id}/payout-accounts`).send(account)).status).toBe(401);
    expect(
      (
        await m
          .http()
          .put(`/api/v1/merchants/${shop.id}/payout-accounts/${randomUUID()}`)
          .set(bearer(shop.apiKey))
          .send({ active: false })
      ).status,
    ).toBe(404);
    expect(
      (await m.http().post(`/api/v1/merchants/${randomUUID()}/payout-accounts`).set(bearer(token)).send(account))
        .status,
    ).toBe(404);
    expect((await outboxFor(m.dataSource, shop.id)).map((e) => e.type)).toEqual(['merchant.registered']);
  });

  it('a closed merchant cannot change its accounts (409)', async () => {
    const shop = await register();
    await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/close`)
      .set(bearer(token))
      .send({ reason: 'Ngừng kinh doanh' })
      .expect(200);
    const refused = await m
      .http()
      .post(`/api/v1/merchants/${shop.id}/payout-accounts`)
      .set(bearer(token))
      .send(account);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'merchant_closed' } });
  });
});
