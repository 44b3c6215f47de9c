import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { signatureHeader } from '@cashless/contracts';
import { cassoFeed, sortKeysDeep } from './casso';
import { genericFeed } from './generic';
import { payosFeed, payosSignedString } from './payos';
import { sepayFeed } from './sepay';
import { configureFeeds } from './feeds';
import { MAX_SIGNED_JSON_DEPTH, nestedDeeperThan } from './feed';
import type { CanonicalResult } from './feed';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function fieldsOf(result: CanonicalResult): Record<string, { vi: string; en: string }> {
  if (result.ok) throw new Error('expected field errors');
  return Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

describe('generic feed (canonical, X-Signature)', () => {
  const secret = 'dev-bank-webhook-secret';
  const now = new Date('2026-11-26T10:00:00Z');
  const t = Math.floor(now.getTime() / 1000);
  const body = {
    id: 'SIM-0001',
    bankBin: '970436',
    accountNumber: '0071001234567',
    amount: 50_000,
    content: 'CS1234ABCD Pho bo',
    transferredAt: '2026-11-26T09:59:58+07:00',
    payerName: 'NGUYEN VAN A',
  };
  const raw = json(body);

  it('accepts a signature over the exact bytes within the window', () => {
    expect(genericFeed.verify(raw, { 'x-signature': signatureHeader(secret, raw, t) }, secret, now)).toEqual({
      ok: true,
    });
    expect(genericFeed.verify(raw, { 'x-signature': signatureHeader(secret, raw, t - 300) }, secret, now).ok).toBe(
      true,
    );
  });

  it('refuses forged, stale, missing and malformed signatures', () => {
    const check = (h: Record<string, string>) => genericFeed.verify(raw, h, secret, now);
    expect(check({ 'x-signature': signatureHeader('another-secret-value', raw, t) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(check({ 'x-signature': signatureHeader(secret, raw, t - 301) })).toEqual({ ok: false, reason: 'stale' });
    expect(check({})).toEqual({ ok: false, reason: 'missing' });
    expect(check({ 'x-signature': 'v1=abc' })).toEqual({ ok: false, reason: 'malformed' });
    // One byte of whitespace changes the signed bytes.
    const reformatted = Buffer.from(JSON.stringify(body, null, 1));
    expect(genericFeed.verify(reformatted, { 'x-signature': signatureHeader(secret, raw, t) }, secret, now).ok).toBe(
      false,
    );
  });

  it('maps the canonical body as is', () => {
    expect(genericFeed.toCanonical(body)).toEqual({
      ok: true,
      transfer: { ...body, direction: 'in', payerAccount: undefined, reference: undefined },
    });
  });

  it('refuses amounts ≤ 0, ≥ 500,000,000 and non-integers with a bilingual field message', () => {
    for (const amount of [0, -1, 1.5, 500_000_000, '100', null]) {
      const fields = fieldsOf(genericFeed.toCanonical({ ...body, amount }));
      expect(Object.keys(fields)).toEqual(['amount']);
      expect(fields.amount.en).toContain('whole number of đồng above 0 and below 500,000,000');
      expect(fields.amount.vi).toContain('số nguyên đồng');
    }
    expect(genericFeed.toCanonical({ ...body, amount: 499_999_999 }).ok).toBe(true);
  });

  it('names every bad or missing field', () => {
    const fields = fieldsOf(
      genericFeed.toCanonical({ bankBin: '97043', accountNumber: '12-34', amount: 1, content: 5, transferredAt: 'x' }),
    );
    expect(fields.id).toEqual({ vi: 'Bắt buộc', en: 'Required' });
    expect(fields.bankBin.en).toBe('Bank BIN: 6 digits');
    expect(fields.accountNumber.en).toContain('1–19 letters or digits');
    expect(fields.content.en).toContain('Transfer content');
    expect(fields.transferredAt.en).toContain('ISO 8601');
    expect(fieldsOf(genericFeed.toCanonical([1, 2]))).toEqual({
      body: { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' },
    });
  });
});

describe('SePay feed', () => {
  // SePay's documented sample (developer.sepay.vn, "Bắt đầu nhanh").
  const sample = {
    id: 92704,
    gateway: 'Vietcombank',
    transactionDate: '2023-03-25 14:02:37',
    accountNumber: '0123499999',
    code: null,
    content: 'chuyen tien mua iphone',
    transferType: 'in',
    transferAmount: 2277000,
    accumulated: 19077000,
    subAccount: null,
    referenceCode: 'MBVCB.3278907687',
    description: '',
  };
  const raw = json(sample);
  const now = new Date('2023-03-25T07:03:00Z');

  it('checks `Authorization: Apikey <key>` in constant time', () => {
    const secrets = { apiKey: 'sepay-api-key-123' };
    const check = (authorization?: string) =>
      sepayFeed.verify(raw, authorization === undefined ? {} : { authorization }, secrets, now);
    expect(check('Apikey sepay-api-key-123')).toEqual({ ok: true });
    expect(check('apikey   sepay-api-key-123')).toEqual({ ok: true });
    expect(check('Apikey sepay-api-key-124')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check('Apikey sepay')).toEqual({ ok: false, reason: 'mismatch' });
    expect(check('Bearer sepay-api-key-123')).toEqual({ ok: false, reason: 'malformed' });
    expect(check()).toEqual({ ok: false, reason: 'missing' });
  });

  it('checks the HMAC variant over "<timestamp>.<raw body>" within the window', () => {
    const secrets = { hmacSecret: 'sepay-hmac-secret' };
    const ts = String(Math.floor(now.getTime() / 1000));
    const sign = (at: string, key = secrets.hmacSecret) =>
      `sha256=${createHmac('sha256', key).update(`${at}.`).update(raw).digest('hex')}`;
    const check = (signature: string, at = ts) =>
      sepayFeed.verify(raw, { 'x-sepay-signature': signature, 'x-sepay-timestamp': at }, secrets, now);
    expect(check(sign(ts))).toEqual({ ok: true });
    expect(check(sign(ts, 'another-secret'))).toEqual({ ok: false, reason: 'mismatch' });
    const old = String(Number(ts) - 301);
    expect(check(sign(old), old)).toEqual({ ok: false, reason: 'stale' });
    expect(check('sha256=xyz')).toEqual({ ok: false, reason: 'malformed' });
    // Without an HMAC secret the API key is required.
    expect(sepayFeed.verify(raw, { 'x-sepay-signature': sign(ts), 'x-sepay-timestamp': ts }, {}, now)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('maps the documented sample: bank by gateway name, Vietnam local time, reference', () => {
    expect(sepayFeed.toCanonical(sample)).toEqual({
      ok: true,
      transfer: {
        id: '92704',
        direction: 'in',
        bankBin: '970436',
        accountNumber: '0123499999',
        amount: 2277000,
        content: 'chuyen tien mua iphone',
        transferredAt: '2023-03-25T14:02:37+07:00',
        reference: 'MBVCB.3278907687',
      },
    });
  });

  it('keeps outgoing transfers as ignored, uses the description when content is empty', () => {
    const out = sepayFeed.toCanonical({ ...sample, transferType: 'out', gateway: 'MBBank' });
    expect(out).toMatchObject({
      ok: true,
      transfer: { direction: 'out', ignoredReason: 'outgoing', bankBin: '970422' },
    });
    const described = sepayFeed.toCanonical({ ...sample, content: '', description: 'MB 0123 CS1234ABCD' });
    expect(described).toMatchObject({ ok: true, transfer: { content: 'MB 0123 CS1234ABCD' } });
    expect(sepayFeed.toCanonical({ ...sample, gateway: 'Some Unknown Bank' })).toMatchObject({
      ok: true,
      transfer: { bankBin: null },
    });
  });

  it('refuses bad fields with their SePay names', () => {
    const fields = fieldsOf(
      sepayFeed.toCanonical({
        ...sample,
        transferAmount: 0,
        transactionDate: '2023-02-30 10:00:00',
        transferType: 'x',
      }),
    );
    expect(Object.keys(fields).sort()).toEqual(['transactionDate', 'transferAmount', 'transferType']);
    expect(fields.transactionDate.en).toContain('Vietnam time');
  });
});

describe('Casso feed (webhook v2)', () => {
  // Casso's public sample: body, checksum key and header reproduce exactly.
  const sample = {
    error: 0,
    data: {
      id: 0,
      reference: 'MA_GIAO_DICH_THU_NGHIEM',
      description: 'giao dich thu nghiem',
      amount: 599000,
      runningBalance: 25000000,
      transactionDateTime: '2024-10-03 15:06:37',
      accountNumber: '88888888',
      bankName: 'VPBank',
      bankAbbreviation: 'VPB',
      virtualAccountNumber: '',
      virtualAccountName: '',
      counterAccountName: 'NGUYEN VAN A',
      counterAccountNumber: '8888888888',
      counterAccountBankId: '970415',
      counterAccountBankName: 'VietinBank',
    },
  };
  const key = 'mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs';
  const header =
    't=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3';
  const now = new Date(1727948258788 + 5_000);

  it('verifies the published sample signature (HMAC-SHA512 over t + key-sorted JSON)', () => {
    expect(cassoFeed.verify(json(sample), { 'x-casso-signature': header }, key, now)).toEqual({ ok: true });
    // Key order and whitespace of the bytes do not matter: Casso signs the sorted JSON.
    expect(
      cassoFeed.verify(Buffer.from(JSON.stringify(sample, null, 2)), { 'x-casso-signature': header }, key, now),
    ).toEqual({ ok: true });
  });

  it('refuses a changed body, another key, a stale timestamp, a missing or malformed header', () => {
    const changed = { ...sample, data: { ...sample.data, amount: 599001 } };
    expect(cassoFeed.verify(json(changed), { 'x-casso-signature': header }, key, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(cassoFeed.verify(json(sample), { 'x-casso-signature': header }, 'another-checksum-key', now).ok).toBe(false);
    expect(
      cassoFeed.verify(json(sample), { 'x-casso-signature': header }, key, new Date(1727948258788 + 301_000)),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(cassoFeed.verify(json(sample), {}, key, now)).toEqual({ ok: false, reason: 'missing' });
    expect(cassoFeed.verify(json(sample), { 'x-casso-signature': 't=1,v1=abc' }, key, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(cassoFeed.verify(Buffer.from('not json'), { 'x-casso-signature': header }, key, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts the PHP serialisation of non-ASCII content (escaped) and a signature over the raw bytes', () => {
    const body = { error: 0, data: { ...sample.data, description: 'Chuyển tiền/CS1234ABCD' } };
    const t = String(now.getTime());
    const php = JSON.stringify(sortKeysDeep(body))
      .replace(/\//g, '\\/')
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const sign = (message: string) => createHmac('sha512', key).update(`${t}.${message}`).digest('hex');
    expect(cassoFeed.verify(json(body), { 'x-casso-signature': `t=${t},v1=${sign(php)}` }, key, now)).toEqual({
      ok: true,
    });
    const raw = '{"data":{"amount":1},"error":0}';
    expect(cassoFeed.verify(Buffer.from(raw), { 'x-casso-signature': `t=${t},v1=${sign(raw)}` }, key, now).ok).toBe(
      true,
    );
  });

  it('maps the sample: bank by abbreviation, counter account as payer', () => {
    expect(cassoFeed.toCanonical(sample)).toEqual({
      ok: true,
      transfer: {
        id: '0',
        direction: 'in',
        bankBin: '970432',
        accountNumber: '88888888',
        amount: 599000,
        content: 'giao dich thu nghiem',
        transferredAt: '2024-10-03T15:06:37+07:00',
        payerName: 'NGUYEN VAN A',
        payerAccount: '8888888888',
        reference: 'MA_GIAO_DICH_THU_NGHIEM',
      },
    });
  });

  it('treats a negative amount as outgoing (ignored), refuses zero and fractions', () => {
    expect(cassoFeed.toCanonical({ ...sample, data: { ...sample.data, amount: -20000 } })).toMatchObject({
      ok: true,
      transfer: { direction: 'out', ignoredReason: 'outgoing', amount: 20000 },
    });
    for (const amount of [0, 1.5, 500_000_000, -500_000_000]) {
      expect(Object.keys(fieldsOf(cassoFeed.toCanonical({ ...sample, data: { ...sample.data, amount } })))).toEqual([
        'data.amount',
      ]);
    }
    expect(Object.keys(fieldsOf(cassoFeed.toCanonical({ error: 0 })))).toEqual(['data']);
  });
});

describe('payOS feed', () => {
  // payOS's documented sample ("Kiểm tra dữ liệu với signature"): key and signature as published.
  const key = '1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675';
  const data = {
    orderCode: 123,
    amount: 3000,
    description: 'VQRIO123',
    accountNumber: '12345678',
    reference: 'TF230204212323',
    transactionDateTime: '2023-02-04 18:25:00',
    currency: 'VND',
    paymentLinkId: '124c33293c43417ab7879e14c8d9eb18',
    code: '00',
    desc: 'Thành công',
    counterAccountBankId: '',
    counterAccountBankName: '',
    counterAccountName: '',
    counterAccountNumber: '',
    virtualAccountName: '',
    virtualAccountNumber: '',
  };
  const sample = {
    code: '00',
    desc: 'success',
    success: true,
    data,
    signature: '412e915d2871504ed31be63c8f62a149a4410d34c4c42affc9006ef9917eaa03',
  };
  const now = new Date();

  it('verifies the documented signature (HMAC-SHA256 over sorted k=v&…, UTF-8 as is)', () => {
    expect(payosFeed.verify(json(sample), {}, key, now)).toEqual({ ok: true });
    expect(payosFeed.verify(json({ ...sample, signature: sample.signature.toUpperCase() }), {}, key, now).ok).toBe(
      true,
    );
  });

  it('refuses a changed amount, another key, a missing signature or a body that is not JSON', () => {
    expect(payosFeed.verify(json({ ...sample, data: { ...data, amount: 3001 } }), {}, key, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(payosFeed.verify(json(sample), {}, 'another-key-value', now).ok).toBe(false);
    const { signature: _s, ...unsigned } = sample;
    expect(payosFeed.verify(json(unsigned), {}, key, now)).toEqual({ ok: false, reason: 'missing' });
    expect(payosFeed.verify(Buffer.from('{'), {}, key, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('signs null, "null" and "undefined" as empty, arrays as JSON of key-sorted elements', () => {
    expect(payosSignedString({ b: null, a: 'null', c: 'undefined', d: [{ y: 1, x: 2 }], e: 5 })).toBe(
      'a=&b=&c=&d=[{"x":2,"y":1}]&e=5',
    );
  });

  it('maps the sample: link + reference as the transaction id, receiving bank left to our records', () => {
    expect(payosFeed.toCanonical(sample)).toEqual({
      ok: true,
      transfer: {
        id: '124c33293c43417ab7879e14c8d9eb18:TF230204212323',
        direction: 'in',
        bankBin: null,
        accountNumber: '12345678',
        amount: 3000,
        content: 'VQRIO123',
        transferredAt: '2023-02-04T18:25:00+07:00',
        reference: 'TF230204212323',
      },
    });
  });

  it('keeps an unsuccessful notification as ignored; refuses other currencies', () => {
    expect(payosFeed.toCanonical({ ...sample, success: false })).toMatchObject({
      ok: true,
      transfer: { ignoredReason: 'not_successful' },
    });
    expect(Object.keys(fieldsOf(payosFeed.toCanonical({ ...sample, data: { ...data, currency: 'USD' } })))).toEqual([
      'data.currency',
    ]);
  });
});

describe('configured feeds', () => {
  it('offers a provider only when its secret is set', () => {
    const base = { genericSecret: 'dev-bank-webhook-secret', windowSeconds: 300 };
    expect([...configureFeeds(base).keys()]).toEqual(['generic']);
    expect(
      [
        ...configureFeeds({
          ...base,
          sepayWebhookSecret: 'x'.repeat(16),
          cassoChecksumKey: 'y'.repeat(16),
          payosChecksumKey: 'z'.repeat(16),
        }).keys(),
      ].sort(),
    ).toEqual(['casso', 'generic', 'payos', 'sepay']);
  });
});

describe('bodies nested thousands of levels deep (found by the bad-input campaign)', () => {
  const key = 'k'.repeat(32);
  const now = new Date();
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('Casso: checks only the raw-bytes signature instead of overflowing the stack re-serialising', () => {
    const raw = Buffer.from(`{"error":0,"data":{"id":1,"bankName":${deep(20_000)}}}`);
    const t = String(now.getTime());
    const overRaw = createHmac('sha512', key).update(`${t}.`).update(raw).digest('hex');
    expect(cassoFeed.verify(raw, { 'x-casso-signature': `t=${t},v1=${overRaw}` }, key, now)).toEqual({ ok: true });
    expect(cassoFeed.verify(raw, { 'x-casso-signature': `t=${t},v1=${'ab'.repeat(64)}` }, key, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('payOS: refuses a deep `data` as malformed before building the signed string', () => {
    const raw = Buffer.from(`{"data":{"amount":1,"x":${deep(20_000)}},"signature":"${'ab'.repeat(32)}"}`);
    expect(payosFeed.verify(raw, {}, key, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('measures nesting without recursion', () => {
    expect(nestedDeeperThan(JSON.parse(deep(100_000)), MAX_SIGNED_JSON_DEPTH)).toBe(true);
    expect(nestedDeeperThan({ a: { b: [1, { c: 2 }] } }, MAX_SIGNED_JSON_DEPTH)).toBe(false);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });
});
