import { describe, expect, it } from '@jest/globals';
import { encodeVietQr, decodeVietQr, isPaymentCode } from '@cashless/vietqr';
import { generatePaymentCode, isOurPaymentCode } from './payment-code';

describe('payment code', () => {
  it('is CS + 8 Crockford characters, a valid VietQR payment code', () => {
    for (let i = 0; i < 1000; i++) {
      const code = generatePaymentCode();
      expect(code).toMatch(/^CS[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(code.length).toBeLessThanOrEqual(19);
      expect(isPaymentCode(code)).toBe(true);
      expect(isOurPaymentCode(code)).toBe(true);
    }
  });

  it('encodes all 40 bits: extremes and a known value', () => {
    expect(generatePaymentCode(Buffer.alloc(5, 0))).toBe('CS00000000');
    expect(generatePaymentCode(Buffer.alloc(5, 0xff))).toBe('CSZZZZZZZZ');
    expect(generatePaymentCode(Buffer.from([0, 0, 0, 0, 33]))).toBe('CS00000011');
  });

  it('refuses the wrong number of random bytes', () => {
    expect(() => generatePaymentCode(Buffer.alloc(4))).toThrow();
  });

  it('rarely repeats (no collisions among 20,000 draws)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(generatePaymentCode());
    expect(seen.size).toBe(20_000);
  });

  it('comes first in the transfer content of the dynamic VietQR', () => {
    const code = generatePaymentCode();
    const payload = encodeVietQr({
      bankBin: '970436',
      account: '0071001234567',
      amount: 50_000,
      paymentCode: code,
      purpose: 'Phở bò',
    });
    const decoded = decodeVietQr(payload);
    expect(decoded.vietqr).toBe(true);
    expect(payload).toContain(`${code} Pho bo`);
  });

  it('is not one of ours when lower case, too long or with ambiguous letters', () => {
    expect(isOurPaymentCode('cs00000000')).toBe(false);
    expect(isOurPaymentCode('CS0000000O')).toBe(false);
    expect(isOurPaymentCode('CS000000000')).toBe(false);
  });
});
