import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { decodeVietQr, encodeVietQr, qrModuleCount, renderSvg } from '@cashless/vietqr';
import { normalizeBoardCode } from '../src/boards/board-code';
import { BoardsAndFraudReports1764806400000 } from '../src/migrations/1764806400000-boards-and-fraud-reports';
import {
  MerchantApp,
  auditActions,
  fieldsOf,
  officerToken,
  outboxFor,
  publishedEvents,
  registerShop,
  startMerchantApp,
  streetByName,
} from './merchant-app';

type Res = { status: number; body: unknown; headers: Record<string, string> };
// superagent's parser signature: the response is a Node stream.
const binary = (res: unknown, done: (err: Error | null, body: unknown) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('boards, board verification and fraud reports (HTTP, real PostgreSQL and Kafka)', () => {
  let m: MerchantApp;
  let streetId: string;
  let officer: string;
  let n = 40;
  let shop: { id: string; apiKey: string; phone: string };
  let boardCode: string;
  let payload: string;
  let shopName: string;
  let accountNumber: string;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const approve = (id: string) => m.http().post(`/api/v1/merchants/${id}/approve`).set(bearer(officer)).expect(200);
  const get = (path: string, token?: string) => {
    const req = m
      .http()
      .get(path)
      .buffer(true)
      .parse(binary as never);
    return (token ? req.set(bearer(token)) : req) as unknown as Promise<Res & { body: Buffer }>;
  };
  const json = (res: { body: Buffer }) => JSON.parse(res.body.toString()) as Record<string, unknown>;

  beforeAll(async () => {
    m = await startMerchantApp('merchant-boards');
    streetId = (await streetByName(m, 'Lê Duẩn')).id;
    officer = await officerToken(m);
    shop = await registerShop(m, streetId, ++n);
    shopName = `Cửa hàng ${n}`;
    accountNumber = `20000000${n}`;
    await approve(shop.id);
  });

  afterAll(async () => {
    await m?.close();
  });

  describe('the static VietQR and the board', () => {
    it('GET /qr: a static VietQR (01 = 11, no amount) of the first active account, and its board code', async () => {
      const res = await m.http().get(`/api/v1/merchants/${shop.id}/qr`).set(bearer(shop.apiKey)).expect(200);
      ({ payload, boardCode } = res.body as { payload: string; boardCode: string });
      expect(Object.keys(res.body as object).sort()).toEqual(['boardCode', 'payload']);
      expect(normalizeBoardCode(boardCode)).toBe(boardCode);
      expect(payload).toBe(encodeVietQr({ bankBin: '970436', account: accountNumber, initiation: 'static' }));
      const decoded = decodeVietQr(payload);
      expect(decoded.vietqr).toBe(true);
      expect(decoded.fields).toMatchObject({ initiation: 'static', amount: null, bankBin: '970436' });
      // Stable: the same code every time, and the one the merchant's profile shows.
      const again = await m.http().get(`/api/v1/merchants/${shop.id}/qr`).set(bearer(officer)).expect(200);
      expect(again.body).toEqual(res.body);
      const profile = await m.http().get(`/api/v1/merchants/${shop.id}`).set(bearer(shop.apiKey)).expect(200);
      expect((profile.body as { payoutAccounts: { boardCode: string }[] }).payoutAccounts[0].boardCode).toBe(boardCode);
    });

    it('?account= picks another active account; an unknown or inactive one is 404, a malformed one 400', async () => {
      const added = await m
        .http()
        .post(`/api/v1/merchants/${shop.id}/payout-accounts`)
        .set(bearer(shop.apiKey))
        .send({ bankBin: '970416', accountNumber: '8800112233', accountName: 'Trần Văn Ê' })
        .expect(201);
      const second = added.body as { id: string; boardCode: string };
      expect(normalizeBoardCode(second.boardCode)).toBe(second.boardCode);
      expect(second.boardCode).not.toBe(boardCode);
      const res = await m
        .http()
        .get(`/api/v1/merchants/${shop.id}/qr?account=8800112233`)
        .set(bearer(shop.apiKey))
        .expect(200);
      expect(res.body).toEqual({
        payload: encodeVietQr({ bankBin: '970416', account: '8800112233', initiation: 'static' }),
        boardCode: second.boardCode,
      });
      await m.http().get(`/api/v1/merchants/${shop.id}/qr?account=999999999`).set(bearer(shop.apiKey)).expect(404);
      const bad = await m.http().get(`/api/v1/merchants/${shop.id}/qr?account=12ab`).set(bearer(shop.apiKey));
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toEqual(['account']);
      const unknownParam = await m.http().get(`/api/v1/merchants/${shop.id}/qr?size=9`).set(bearer(shop.apiKey));
      expect(unknownParam.status).toBe(400);
      expect(fieldsOf(unknownParam)).toEqual(['size']);
      await m
        .http()
        .put(`/api/v1/merchants/${shop.id}/payout-accounts/${second.id}`)
        .set(bearer(shop.apiKey))
        .send({ active: false })
        .expect(200);
      await m.http().get(`/api/v1/merchants/${shop.id}/qr?account=8800112233`).set(bearer(shop.apiKey)).expect(404);
    });

    it('qr.png is a PNG of the payload at print settings (signature, 10 px per module, 4-module quiet zone)', async () => {
      const res = await get(`/api/v1/merchants/${shop.id}/qr.png`, shop.apiKey);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(res.body.subarray(12, 16).toString('latin1')).toBe('IHDR');
      const side = (qrModuleCount(payload) + 8) * 10;
      expect([res.body.readUInt32BE(16), res.body.readUInt32BE(20)]).toEqual([side, side]);
    });

    it('qr.svg is the library SVG of the payload', async () => {
      const res = await get(`/api/v1/merchants/${shop.id}/qr.svg`, officer);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(res.body.toString()).toBe(await renderSvg(payload));
    });

    it('board.svg: A5 with the QR of the payload, shop, holder, masked account, street, programme, code, payee check', async () => {
      const res = await get(`/api/v1/merchants/${shop.id}/board.svg`, shop.apiKey);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = res.body.toString();
      const qrPath = /<path stroke="#000000" d="([^"]+)"/.exec(await renderSvg(payload))![1];
      expect(svg).toContain(qrPath);
      for (const text of [
        shopName,
        'TRAN VAN E',
        `****${accountNumber.slice(-4)}`,
        'Vietcombank',
        'Lê Duẩn',
        'Tuyến phố không dùng tiền mặt',
        `${boardCode.slice(0, 4)}-${boardCode.slice(4)}`,
        'Kiểm tra tên người nhận',
        'trước khi thanh toán',
      ]) {
        expect(svg).toContain(text);
      }
      expect(svg).not.toContain(accountNumber);
      expect(svg).not.toContain(shop.phone);
    });

    it('board.pdf is a PDF naming the shop', async () => {
      const res = await get(`/api/v1/merchants/${shop.id}/board.pdf`, officer);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.body.subarray(0, 4).toString('latin1')).toBe('%PDF');
      const title = Buffer.from(`\ufeff${shopName}`, 'utf16le').swap16();
      expect(res.body.includes(title)).toBe(true);
    });

    it('auth boundaries: no credentials 401, another merchant 403, unknown merchant 404, bad id 404', async () => {
      const other = await registerShop(m, streetId, ++n);
      for (const path of ['qr', 'qr.png', 'qr.svg', 'board.svg', 'board.pdf']) {
        expect((await get(`/api/v1/merchants/${shop.id}/${path}`)).status).toBe(401);
        expect((await get(`/api/v1/merchants/${shop.id}/${path}`, 'csk_not-a-key')).status).toBe(401);
        const forbidden = await get(`/api/v1/merchants/${shop.id}/${path}`, other.apiKey);
        expect(forbidden.status).toBe(403);
        expect(forbidden.headers['content-type']).toMatch(/json/);
        expect((await get(`/api/v1/merchants/${randomUUID()}/${path}`, officer)).status).toBe(404);
        expect((await get(`/api/v1/merchants/not-a-uuid/${path}`, officer)).status).toBe(404);
      }
    });

    it('only active merchants get boards: pending and suspended are 409 with a bilingual reason', async () => {
      const pending = await registerShop(m, streetId, ++n);
      for (const path of ['qr', 'qr.png', 'board.pdf']) {
        const res = await get(`/api/v1/merchants/${pending.id}/${path}`, pending.apiKey);
        expect(res.status).toBe(409);
        expect(json(res)).toMatchObject({
          error: {
            code: 'merchant_not_active',
            messageVi: expect.stringContaining('chờ duyệt'),
            details: { status: 'pending' },
          },
        });
      }
      await approve(pending.id);
      await m.http().get(`/api/v1/merchants/${pending.id}/qr`).set(bearer(pending.apiKey)).expect(200);
      await m
        .http()
        .post(`/api/v1/merchants/${pending.id}/suspend`)
        .set(bearer(officer))
        .send({ reason: 'Bảng QR bị báo cáo' })
        .expect(200);
      const suspended = await m.http().get(`/api/v1/merchants/${pending.id}/board.svg`).set(bearer(officer));
      expect(suspended.status).toBe(409);
      expect(suspended.body).toMatchObject({ error: { details: { status: 'suspended' } } });
    });
  });

  describe('public verification', () => {
    const fields = [
      'accountHolder',
      'active',
      'bankShortName',
      'boardCode',
      'maskedAccount',
      'message',
      'shopName',
      'status',
      'street',
      'verdict',
    ];

    it('by code (typed loosely): genuine, with nothing private', async () => {
      const typed = `${boardCode.slice(0, 4).toLowerCase()}-${boardCode.slice(4)}`;
      const res = await m.http().get(`/api/v1/boards/${typed}`).expect(200);
      expect(Object.keys(res.body as object).sort()).toEqual(fields);
      expect(res.body).toEqual({
        boardCode,
        shopName,
        street: 'Lê Duẩn',
        accountHolder: 'TRAN VAN E',
        maskedAccount: `****${accountNumber.slice(-4)}`,
        bankShortName: 'Vietcombank',
        status: 'active',
        active: true,
        verdict: 'genuine',
        message: { vi: expect.any(String), en: expect.any(String) },
      });
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(shop.phone);
      expect(text).not.toContain('0709');
      expect(text).not.toMatch(/20000000\d+/);
    });

    it('by payload: the same board; a payment QR of the same account too', async () => {
      const res = await m.http().post('/api/v1/boards/verify').send({ payload }).expect(200);
      expect(res.body).toMatchObject({ boardCode, verdict: 'genuine', active: true, status: 'active' });
      const decoded = decodeVietQr(payload);
      const dynamic = encodeVietQr({ bankBin: '970436', account: decoded.fields.account!, amount: 50_000 });
      const res2 = await m.http().post('/api/v1/boards/verify').send({ payload: dynamic }).expect(200);
      expect(res2.body).toMatchObject({ boardCode, verdict: 'genuine' });
    });

    it('unknown code, unregistered account, invalid payload and malformed code are flagged', async () => {
      const unknownCode = (await m.http().get('/api/v1/boards/00000000').expect(200)).body;
      expect(unknownCode).toMatchObject({ verdict: 'unknown', active: false, shopName: null, boardCode: '00000000' });
      const malformed = (await m.http().get('/api/v1/boards/NOT-A-CODE').expect(200)).body;
      expect(malformed).toMatchObject({ verdict: 'invalid', active: false, boardCode: null });
      const long = await m.http().get(`/api/v1/boards/${'Z'.repeat(3000)}`);
      expect(long.status).toBeLessThan(500);
      const swapped = encodeVietQr({ bankBin: '970422', account: '1900123456789', initiation: 'static' });
      const stranger = (await m.http().post('/api/v1/boards/verify').send({ payload: swapped }).expect(200)).body;
      expect(stranger).toMatchObject({
        verdict: 'unknown',
        active: false,
        boardCode: null,
        shopName: null,
        maskedAccount: '****6789',
        bankShortName: 'MBBank',
        message: { vi: expect.stringContaining('không chuyển tiền'), en: expect.any(String) },
      });
      for (const bad of ['hello', `${payload.slice(0, -1)}0`, payload.slice(0, 40)]) {
        const res = await m.http().post('/api/v1/boards/verify').send({ payload: bad }).expect(200);
        expect(res.body).toMatchObject({ verdict: 'invalid', active: false });
      }
    });

    it('inactive: a suspended merchant, or a deactivated account', async () => {
      const s = await registerShop(m, streetId, ++n);
      await approve(s.id);
      const qr = (await m.http().get(`/api/v1/merchants/${s.id}/qr`).set(bearer(s.apiKey)).expect(200)).body as {
        payload: string;
        boardCode: string;
      };
      await m
        .http()
        .post(`/api/v1/merchants/${s.id}/suspend`)
        .set(bearer(officer))
        .send({ reason: 'Kiểm tra' })
        .expect(200);
      expect((await m.http().get(`/api/v1/boards/${qr.boardCode}`).expect(200)).body).toMatchObject({
        verdict: 'inactive',
        active: false,
        status: 'suspended',
        shopName: `Cửa hàng ${n}`,
      });
      expect(
        (await m.http().post('/api/v1/boards/verify').send({ payload: qr.payload }).expect(200)).body,
      ).toMatchObject({ verdict: 'inactive', status: 'suspended' });
      // The deactivated second account of the first shop.
      const deactivated = encodeVietQr({ bankBin: '970416', account: '8800112233', initiation: 'static' });
      expect(
        (await m.http().post('/api/v1/boards/verify').send({ payload: deactivated }).expect(200)).body,
      ).toMatchObject({ verdict: 'inactive', status: 'active', active: false });
    });

    it('bad bodies are 400 naming the field, never 5xx', async () => {
      for (const body of [{}, { payload: 12 }, { payload: '' }, { payload: 'x'.repeat(1001) }, { payload, extra: 1 }]) {
        const res = await m.http().post('/api/v1/boards/verify').send(body);
        expect(res.status).toBe(400);
      }
      const text = await m
        .http()
        .post('/api/v1/boards/verify')
        .set('content-type', 'application/json')
        .send('{"payload":');
      expect(text.status).toBe(400);
    });
  });

  describe('fraud reports', () => {
    let ipN = 0;
    const ip = () => `203.0.113.${++ipN}`;

    it('stored, audited, published without the reporter contact; officers list them', async () => {
      const res = await m
        .http()
        .post(`/api/v1/boards/${boardCode.toLowerCase()}/report`)
        .set('x-forwarded-for', ip())
        .send({ reason: 'qr_swapped', note: 'Mã QR bị dán đè\nlên bảng', reporterContact: '0987654321' })
        .expect(201);
      const report = res.body as { id: string; boardCode: string };
      expect(report).toMatchObject({ boardCode, reason: 'qr_swapped', message: { vi: expect.any(String) } });
      expect(await auditActions(m, shop.id)).toContain('merchant.board_reported');
      const events = await outboxFor(m.dataSource, shop.id);
      const event = events.find((e) => e.type === 'merchant.board_reported')!;
      expect(event.data).toEqual({
        reportId: report.id,
        merchantId: shop.id,
        status: 'active',
        boardCode,
        payoutAccountId: expect.any(String),
        bankBin: '970436',
        reason: 'qr_swapped',
        streetId,
        reportedAt: expect.any(String),
      });
      expect(JSON.stringify(event)).not.toContain('0987654321');
      expect(JSON.stringify(event)).not.toContain('dán đè');

      const list = await m.http().get('/api/v1/fraud-reports').set(bearer(officer)).expect(200);
      expect((list.body as unknown[])[0]).toEqual({
        id: report.id,
        boardCode,
        merchantId: shop.id,
        shopName: expect.stringMatching(/^Cửa hàng/),
        merchantStatus: 'active',
        payoutAccountId: expect.any(String),
        maskedAccount: expect.stringMatching(/^\*{4}\d{4}$/),
        reason: 'qr_swapped',
        note: 'Mã QR bị dán đè\nlên bảng',
        reporterContact: '0987654321',
        reportedAt: expect.any(String),
      });
      const byMerchant = await m
        .http()
        .get(`/api/v1/fraud-reports?merchantId=${shop.id}&boardCode=${boardCode}`)
        .set(bearer(officer))
        .expect(200);
      expect((byMerchant.body as { id: string }[]).map((r) => r.id)).toEqual([report.id]);
      const none = await m
        .http()
        .get(`/api/v1/fraud-reports?merchantId=${randomUUID()}`)
        .set(bearer(officer))
        .expect(200);
      expect(none.body).toEqual([]);
    });

    it('the list is for officers only; bad queries are 400', async () => {
      await m.http().get('/api/v1/fraud-reports').expect(401);
      await m.http().get('/api/v1/fraud-reports').set(bearer(shop.apiKey)).expect(403);
      for (const q of ['merchantId=nope', 'boardCode=XYZ', 'limit=0', 'limit=abc', 'foo=1']) {
        expect((await m.http().get(`/api/v1/fraud-reports?${q}`).set(bearer(officer))).status).toBe(400);
      }
    });

    it('bad input: unknown or malformed board 404, bad reason/fields 400, never 5xx', async () => {
      await m.http().post('/api/v1/boards/00000000/report').send({ reason: 'other' }).expect(404);
      await m.http().post('/api/v1/boards/garbage/report').send({ reason: 'other' }).expect(404);
      for (const body of [
        {},
        { reason: 'angry' },
        { reason: 'other', note: '' },
        { reason: 'other', note: 'x'.repeat(1001) },
        { reason: 'other', note: 'a\u0000b' },
        { reason: 'other', reporterContact: 'x'.repeat(201) },
        { reason: 'other', phone: '0912345678' },
        [],
      ]) {
        const res = await m.http().post(`/api/v1/boards/${boardCode}/report`).set('x-forwarded-for', ip()).send(body);
        expect(res.status).toBe(400);
      }
    });

    it('at most 5 per client IP an hour (429, bilingual, across boards), counted in PostgreSQL', async () => {
      const other = await registerShop(m, streetId, ++n);
      await approve(other.id);
      const otherCode = (
        (await m.http().get(`/api/v1/merchants/${other.id}/qr`).set(bearer(officer))).body as {
          boardCode: string;
        }
      ).boardCode;
      const client = ip();
      const send = (code: string, forwarded = client) =>
        m
          .http()
          .post(`/api/v1/boards/${code}/report`)
          .set('x-forwarded-for', forwarded)
          .send({ reason: 'name_mismatch' });
      const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => send(i % 2 ? boardCode : otherCode)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 429, 429]);
      const limited = results.find((r) => r.status === 429)!;
      expect(limited.body).toMatchObject({
        error: {
          code: 'too_many_reports',
          messageVi: expect.any(String),
          details: { scope: 'ip', retryAfterSeconds: expect.any(Number) },
        },
      });
      // A forged X-Forwarded-For prefix does not reset the count: the gateway's entry is the last one.
      expect((await send(otherCode, `1.2.3.4, ${client}`)).status).toBe(429);
      // Another client is not affected.
      expect((await send(otherCode, ip())).status).toBe(201);
    });

    it('the report event reaches merchant.events.v1 on Kafka', async () => {
      const reported = (messages: KafkaMessage[]) =>
        messages.filter(
          (r) => (JSON.parse(r.value!.toString()) as { type: string }).type === 'merchant.board_reported',
        );
      const received = await publishedEvents(m, shop.id, (messages) => reported(messages).length >= 1);
      expect(reported(received).length).toBeGreaterThanOrEqual(1);
    });
  });

  // Last: it rebuilds the board columns and the report table of this suite's database.
  it('the migration gives every existing account a distinct, valid board code', async () => {
    const runner = m.dataSource.createQueryRunner();
    try {
      const migration = new BoardsAndFraudReports1764806400000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows = (await m.dataSource.query('SELECT board_code FROM payout_account')) as { board_code: string }[];
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((r) => r.board_code)).size).toBe(rows.length);
    for (const r of rows) expect(normalizeBoardCode(r.board_code)).toBe(r.board_code);
  });
});
