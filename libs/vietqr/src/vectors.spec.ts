import { describe, expect, it } from '@jest/globals';
import { loadVectors, type Vector } from '../test/vectors';
import { decodeVietQr } from './vietqr-decode';

const { vectors } = loadVectors();
const positive = vectors.filter((v) => v.expected.isVietQR);
const negative = vectors.filter((v) => !v.expected.isVietQR);

/** Each public edge vector's stated reject reason, as the error codes (and tags) it must produce. */
const REJECTIONS: Record<string, { codes: string[]; tag?: string; emvco: boolean; crcValid: boolean }> = {
  // "TLV malformed inside 38/01: sub-field 01 declares length 12 but … 13-char account"
  'edge-napas-6.1.1-as-printed': { codes: ['TLV_TRUNCATED'], tag: '38/01', emvco: true, crcValid: true },
  // "CRC mismatch (declared A203, computed 4F52)"
  'edge-napas-6.1.4-header-line': { codes: ['CRC_MISMATCH'], emvco: false, crcValid: false },
  // "CRC mismatch (declared BBB5, computed BBB8)"
  'edge-bad-crc': { codes: ['CRC_MISMATCH'], emvco: false, crcValid: false },
  // "CRC mismatch … and TLV error; 38 lacks GUID 00"
  'edge-subiz-readme-missing-guid': {
    codes: ['TLV_BAD_ID', 'TLV_OVERRUN', 'CRC_MISMATCH', 'NOT_VIETQR'],
    emvco: false,
    crcValid: false,
  },
  // "same nesting error as above (02 inside 38/01); 62/08 length in UTF-8 bytes; diacritics in ANS"
  'edge-vietqr-ts-utf8-byte-lengths': {
    codes: ['NAPAS_UNEXPECTED_FIELD'],
    tag: '38/01/02',
    emvco: true,
    crcValid: true,
  },
};

function expectedInitiation(v: Vector): 'static' | 'dynamic' | null {
  const poi = v.expected.initiationMethod;
  return poi === '11' ? 'static' : poi === '12' ? 'dynamic' : null;
}

describe('public VietQR vectors', () => {
  it('has positive and negative vectors to check', () => {
    expect(positive.length).toBeGreaterThanOrEqual(12);
    expect(negative.length).toBeGreaterThanOrEqual(12);
  });

  it.each(positive.map((v) => [v.id, v] as const))('%s decodes to the expected fields', (_id, v) => {
    const result = decodeVietQr(v.payload);
    const e = v.expected;
    expect(result.errors).toEqual([]);
    expect({
      crcValid: result.crcValid,
      emvco: result.emvco,
      vietqr: result.vietqr,
      transfer: result.transfer,
    }).toEqual({
      crcValid: true,
      emvco: true,
      vietqr: true,
      transfer: true,
    });
    expect(result.fields).toEqual({
      initiation: expectedInitiation(v),
      bankBin: e.bankBin,
      bankShortName: expect.any(String),
      account: e.account,
      service: e.kind,
      amount: e.amount,
      currency: e.currency,
      country: e.country,
      purpose: e.purpose,
      billNumber: e.billNumber ?? null,
      referenceLabel: e.referenceLabel ?? null,
      merchantName: e.merchantName,
      merchantCity: e.merchantCity,
      mcc: e.mcc,
    });
    expect(result.pointOfInitiation).toBe(e.initiationMethod);
    expect(result.serviceCode).toBe(e.serviceCode);
    expect(result.napasTemplateId).toBe('38');
    expect(result.bank?.bin).toBe(e.bankBin);
    // Clean vectors carry no quirk; the one with amount "0" is flagged, not rejected.
    expect(result.warnings.map((w) => w.code)).toEqual(e.amount === '0' ? ['AMOUNT_ZERO'] : []);
  });

  it.each(negative.map((v) => [v.id, v] as const))('%s is rejected for the stated reason', (id, v) => {
    const result = decodeVietQr(v.payload);
    expect(result.vietqr).toBe(false);
    expect(result.transfer).toBe(false);
    expect(result.crcValid).toBe(v.verified);
    const rejection = REJECTIONS[id];
    if (rejection !== undefined) {
      expect(result.errors.map((e) => e.code)).toEqual(rejection.codes);
      expect(result.emvco).toBe(rejection.emvco);
      if (rejection.tag !== undefined) expect(result.errors[0].tag).toBe(rejection.tag);
      return;
    }
    // Other EMVCo payloads (PromptPay, PayNow, FPS, VNPAY-QR, ShopeePay): valid EMVCo, not VietQR.
    const e = v.expected;
    expect(result.emvco).toBe(true);
    expect(result.errors.map((err) => err.code)).toEqual(['NOT_VIETQR']);
    expect(result.errors[0].message).toContain(`${e.merchantAccountTemplateId} (GUID ${e.guid})`);
    expect(result.fields).toMatchObject({
      initiation: expectedInitiation(v),
      currency: e.currency,
      country: e.country,
      amount: e.amount ?? null,
      bankBin: null,
      account: null,
      service: null,
    });
    for (const key of ['merchantName', 'merchantCity', 'mcc', 'billNumber', 'referenceLabel'] as const) {
      if (e[key] !== undefined) expect(result.fields[key]).toBe(e[key]);
    }
  });

  it('reads the UTF-8-length vector in bytes and still reports its purpose', () => {
    const v = vectors.find((x) => x.id === 'edge-vietqr-ts-utf8-byte-lengths') as Vector;
    const result = decodeVietQr(v.payload);
    expect(result.lengthUnit).toBe('utf8-bytes');
    expect(result.fields.purpose).toBe(v.expected.purpose);
    expect(result.warnings.map((w) => w.code)).toEqual(['LENGTH_IN_UTF8_BYTES', 'NON_ASCII_TEXT']);
    expect(result.errors[0].message).toContain('the service code belongs directly in 38');
  });

  it('names the NAPAS 6.1.1 typo: the account sub-field stops one character short', () => {
    const v = vectors.find((x) => x.id === 'edge-napas-6.1.1-as-printed') as Vector;
    const error = decodeVietQr(v.payload).errors[0];
    expect(error.message).toBe('template 38/01: 1 character(s) left at position 60, too few for an ID and a length');
    expect(v.payload[60]).toBe('8');
  });
});
