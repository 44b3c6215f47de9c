import { describe, expect, it } from '@jest/globals';
import { signatureHeader, signatureOf, verifySignatureHeader } from './signature';

const secret = 'dev-bank-webhook-secret';
const body = '{"id":"T1","amount":50000}';

describe('webhook signatures', () => {
  it('accepts what it signs, within the window', () => {
    const header = signatureHeader(secret, body, 1_800_000_000);
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: 1_800_000_299 })).toEqual({
      ok: true,
      timestamp: 1_800_000_000,
    });
    expect(verifySignatureHeader(header, Buffer.from(body), secret, { nowSeconds: 1_799_999_800 }).ok).toBe(true);
  });

  it('is HMAC-SHA256 over "<t>.<body>" in hex', () => {
    // Reference computed independently: printf '1700000000.{}' | openssl dgst -sha256 -hmac k
    expect(signatureOf('k', 1_700_000_000, '{}')).toBe(
      'c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146',
    );
    expect(signatureOf('k', 1_700_000_000, '{}')).toBe(signatureOf('k', 1_700_000_000, Buffer.from('{}')));
    expect(signatureOf('k', 1_700_000_000, '{}')).not.toBe(signatureOf('k', 1_700_000_001, '{}'));
  });

  it('rejects stale and future timestamps, other bodies, other secrets', () => {
    const header = signatureHeader(secret, body, 1_800_000_000);
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: 1_800_000_301 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: 1_799_999_699 })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifySignatureHeader(header, `${body} `, secret, { nowSeconds: 1_800_000_000 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignatureHeader(header, body, 'another-secret-value', { nowSeconds: 1_800_000_000 }).ok).toBe(false);
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const t = 1_800_000_000;
    const header = `t=${t},v1=${signatureOf('old-secret-value', t, body)},v1=${signatureOf(secret, t, body)}`;
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: t }).ok).toBe(true);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['garbage', 'malformed'],
    ['t=abc,v1=00', 'malformed'],
    ['v1=' + 'a'.repeat(64), 'malformed'],
    ['t=1800000000', 'malformed'],
    ['t=1800000000,t=1800000000,v1=' + 'a'.repeat(64), 'malformed'],
    ['t=1800000000,v1=' + 'z'.repeat(64), 'malformed'],
  ])('names what is wrong with %p', (header, reason) => {
    expect(verifySignatureHeader(header, body, secret, { nowSeconds: 1_800_000_000 })).toEqual({ ok: false, reason });
  });
});
