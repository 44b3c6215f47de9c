import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MerchantApp, officerToken, registerShop, startMerchantApp, streetByName } from './merchant-app';

/**
 * The officers' long lists page by keyset: the body stays the page's rows, `x-next-cursor` says
 * where the next page starts, and a queue that changes while it is read (a shop approved between
 * two pages) neither skips nor repeats anyone.
 */
describe('officer lists page past their limit with x-next-cursor (HTTP, real PostgreSQL)', () => {
  let m: MerchantApp;
  let token: string;
  const officer = () => ({ authorization: `Bearer ${token}` });
  const shops: { id: string }[] = [];

  beforeAll(async () => {
    m = await startMerchantApp('merchant-list-paging');
    token = await officerToken(m);
    const streetId = (await streetByName(m, 'Hùng Vương')).id;
    for (let n = 1; n <= 5; n++) shops.push(await registerShop(m, streetId, 40 + n));
  });

  afterAll(async () => {
    await m?.close();
  });

  async function pages<T extends { id: string }>(path: string, onPage?: (rows: T[]) => Promise<void>) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const separator = path.includes('?') ? '&' : '?';
      const response = await m
        .http()
        .get(`${path}${cursor ? `${separator}cursor=${cursor}` : ''}`)
        .set(officer())
        .expect(200);
      const rows = response.body as T[];
      seen.push(...rows.map((r) => r.id));
      await onPage?.(rows);
      cursor = response.headers['x-next-cursor'] as string | undefined;
      if (!cursor) return { seen, pagesRead: i + 1 };
    }
    throw new Error('the cursor never ended');
  }

  it('reads the review queue two at a time, oldest first, while a shop on a later page is approved', async () => {
    const ordered = (await m.dataSource.query(
      'SELECT id FROM merchant WHERE id = ANY($1::uuid[]) ORDER BY registered_at, id',
      [shops.map((s) => s.id)],
    )) as { id: string }[];
    const all = ordered.map((s) => s.id);
    let approved = false;
    const { seen, pagesRead } = await pages<{ id: string }>('/api/v1/merchants?status=pending&limit=2', async () => {
      if (approved) return;
      approved = true;
      // An offset would now skip the first shop of page two; the keyset does not.
      await m.http().post(`/api/v1/merchants/${all[0]}/approve`).set(officer()).expect(200);
    });
    expect(seen).toEqual(all);
    expect(pagesRead).toBe(3);
    const last = await m.http().get('/api/v1/merchants?status=pending&limit=4').set(officer()).expect(200);
    expect(last.headers['x-next-cursor']).toBeUndefined();
    expect((last.body as unknown[]).length).toBe(4);
  });

  it('reads fraud reports newest first, including reports sharing one millisecond', async () => {
    const [account] = (await m.dataSource.query(
      'SELECT id, board_code, merchant_id FROM payout_account WHERE merchant_id = $1',
      [shops[1].id],
    )) as { id: string; board_code: string; merchant_id: string }[];
    const base = Date.parse('2026-11-20T03:00:00.000Z');
    // Three reports in the same millisecond: the id breaks the tie, so none falls between pages.
    const at = [base, base + 1000, base + 1000, base + 1000, base + 2000];
    const ids: { id: string; at: number }[] = at.map((t) => ({ id: randomUUID(), at: t }));
    for (const r of ids) {
      await m.dataSource.query(
        `INSERT INTO fraud_report (id, board_code, payout_account_id, merchant_id, reason, reporter_key, created_at)
         VALUES ($1, $2, $3, $4, 'other', 'test', $5)`,
        [r.id, account.board_code, account.id, account.merchant_id, new Date(r.at)],
      );
    }
    const expected = [...ids].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    const { seen } = await pages<{ id: string }>(`/api/v1/fraud-reports?merchantId=${shops[1].id}&limit=2`);
    expect(seen).toEqual(expected);
  });

  it('refuses a cursor it did not write', async () => {
    for (const path of ['/api/v1/merchants?cursor=abc', '/api/v1/fraud-reports?cursor=not-a-cursor!']) {
      const response = await m.http().get(path).set(officer());
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { details: { fields: [{ field: 'cursor' }] } } });
    }
  });
});
