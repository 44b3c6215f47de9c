import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { crc16Hex } from './crc16';
import { encodeEmv, encodeTlv, type TlvObject } from './tlv';
import { decodeVietQr, toVietQrReport } from './vietqr-decode';

const napas = (
  overrides: { bin?: string; account?: string; service?: string | null; extra?: TlvObject[] } = {},
): TlvObject => ({
  id: '38',
  value: [
    { id: '00', value: 'A000000727' },
    {
      id: '01',
      value: [
        { id: '00', value: overrides.bin ?? '970436' },
        { id: '01', value: overrides.account ?? '0011001932418' },
      ],
    },
    ...(overrides.service === null ? [] : [{ id: '02', value: overrides.service ?? 'QRIBFTTA' }]),
    ...(overrides.extra ?? []),
  ],
});

/** A VietQR built object by object, so one rule can be broken at a time. */
function vietqr(
  root: Partial<Record<string, string | TlvObject[] | null>> = {},
  template: TlvObject = napas(),
): string {
  const base: Record<string, string | readonly TlvObject[] | null> = {
    '01': '12',
    '38': template.value as TlvObject[],
    '53': '704',
    '54': '50000',
    '58': 'VN',
    '62': [{ id: '08', value: 'CS7K2M9Q Pho bo' }],
    ...root,
  };
  const objects: TlvObject[] = [{ id: '00', value: '01' }];
  for (const [id, value] of Object.entries(base).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== null && value !== undefined) objects.push({ id, value });
  }
  return encodeEmv(objects);
}

const codes = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);

describe('decodeVietQr', () => {
  it('reads a clean dynamic transfer QR', () => {
    const result = decodeVietQr(vietqr());
    expect(result).toMatchObject({
      crcValid: true,
      emvco: true,
      vietqr: true,
      transfer: true,
      errors: [],
      warnings: [],
    });
    expect(result.fields).toEqual({
      initiation: 'dynamic',
      bankBin: '970436',
      bankShortName: 'Vietcombank',
      account: '0011001932418',
      service: 'account',
      amount: '50000',
      currency: '704',
      country: 'VN',
      purpose: 'CS7K2M9Q Pho bo',
      billNumber: null,
      referenceLabel: null,
      merchantName: null,
      merchantCity: null,
      mcc: null,
    });
  });

  it('prints exactly the documented report keys', () => {
    const report = toVietQrReport(decodeVietQr(vietqr()));
    expect(Object.keys(report)).toEqual(['crcValid', 'emvco', 'vietqr', 'transfer', 'errors', 'warnings', 'fields']);
    expect(Object.keys(report.fields)).toEqual([
      'initiation',
      'bankBin',
      'bankShortName',
      'account',
      'service',
      'amount',
      'currency',
      'country',
      'purpose',
      'billNumber',
      'referenceLabel',
      'merchantName',
      'merchantCity',
      'mcc',
    ]);
    const bad = toVietQrReport(decodeVietQr(vietqr({ '53': '840' })));
    expect(bad.errors).toEqual([{ code: 'CURRENCY_NOT_VND', message: expect.stringContaining('tag 53 at position') }]);
  });

  describe('transfer or not', () => {
    it('a NAPAS template without service code is a VietQR (QRPUSH merchant) but not a transfer', () => {
      const result = decodeVietQr(vietqr({}, napas({ service: null })));
      expect(result).toMatchObject({ vietqr: true, transfer: false, errors: [], warnings: [] });
      expect(result.fields.service).toBeNull();
      expect(result.fields.bankBin).toBe('970436');
    });

    it('card transfers (QRIBFTTC) need a numeric card number', () => {
      expect(decodeVietQr(vietqr({}, napas({ service: 'QRIBFTTC', account: '9704031101234567' }))).fields.service).toBe(
        'card',
      );
      const bad = decodeVietQr(vietqr({}, napas({ service: 'QRIBFTTC', account: '97040311A1234567' })));
      expect(codes(bad.errors)).toEqual(['ACCOUNT_INVALID']);
      expect(bad.errors[0].tag).toBe('38/01/01');
    });

    it('known non-transfer service codes pass quietly, unknown ones are flagged', () => {
      expect(decodeVietQr(vietqr({}, napas({ service: 'QRPUSH' })))).toMatchObject({
        vietqr: true,
        transfer: false,
        warnings: [],
      });
      const unknown = decodeVietQr(vietqr({}, napas({ service: 'QRXYZ' })));
      expect(unknown).toMatchObject({ vietqr: true, transfer: false });
      expect(codes(unknown.warnings)).toEqual(['SERVICE_CODE_UNKNOWN']);
      expect(codes(decodeVietQr(vietqr({}, napas({ service: 'QRIBFTTAXXX' }))).errors)).toEqual([
        'SERVICE_CODE_INVALID',
      ]);
    });

    it('another network’s template is not VietQR; the NAPAS GUID in another template slot is, with a warning', () => {
      const vnpay = encodeEmv([
        { id: '00', value: '01' },
        { id: '01', value: '11' },
        {
          id: '26',
          value: [
            { id: '00', value: 'A000000775' },
            { id: '01', value: '0108799042' },
          ],
        },
        { id: '53', value: '704' },
        { id: '58', value: 'VN' },
      ]);
      const result = decodeVietQr(vnpay);
      expect(result).toMatchObject({ emvco: true, vietqr: false });
      expect(result.errors[0].message).toContain('found 26 (GUID A000000775)');
      const in26 = vietqr({ '38': null, '26': napas().value as TlvObject[] });
      expect(decodeVietQr(in26)).toMatchObject({ vietqr: true, napasTemplateId: '26' });
      expect(codes(decodeVietQr(in26).warnings)).toEqual(['NAPAS_TEMPLATE_NOT_38']);
    });

    it('a wallet template next to the NAPAS one (ZaloPay, MoMo) does not disturb it', () => {
      const result = decodeVietQr(
        vietqr({
          '26': [
            { id: '00', value: 'vn.zalopay' },
            { id: '01', value: 'abc' },
          ],
        }),
      );
      expect(result).toMatchObject({ vietqr: true, transfer: true, warnings: [], napasTemplateId: '38' });
    });
  });

  describe('real-world quirks are warnings, not errors', () => {
    it('lower-case CRC (MBBank app)', () => {
      const payload = vietqr();
      const lower = payload.slice(0, -4) + payload.slice(-4).toLowerCase();
      const result = decodeVietQr(lower);
      expect(result).toMatchObject({ crcValid: true, vietqr: true });
      expect(codes(result.warnings)).toEqual(payload.slice(-4) === lower.slice(-4) ? [] : ['CRC_LOWERCASE']);
      // The published MBBank-style sample: CRC ends "79db"-like lower case hex.
      const body = '00020101021138570010A00000072701270006970422011303296012345670208QRIBFTTA53037045802VN6304';
      const real = body + crc16Hex(body).toLowerCase();
      expect(decodeVietQr(real).vietqr).toBe(true);
    });

    it('over-long merchant name (EVN bills carry 31 characters)', () => {
      const result = decodeVietQr(vietqr({ '59': 'EVN CONG TY DIEN LUC THANH XUAN' }));
      expect(result.vietqr).toBe(true);
      expect(result.warnings).toEqual([expect.objectContaining({ code: 'FIELD_TOO_LONG', tag: '59' })]);
      expect(result.fields.merchantName).toBe('EVN CONG TY DIEN LUC THANH XUAN');
    });

    it('amount 0 (published library test)', () => {
      const result = decodeVietQr(vietqr({ '01': '11', '54': '0' }));
      expect(result.vietqr).toBe(true);
      expect(codes(result.warnings)).toEqual(['AMOUNT_ZERO']);
      expect(result.fields.amount).toBe('0');
    });

    it('fields out of order (62 before 38, as sgqr-go emits)', () => {
      const payload = encodeEmv([
        { id: '00', value: '01' },
        { id: '01', value: '12' },
        { id: '62', value: [{ id: '08', value: 'abc' }] },
        napas(),
        { id: '53', value: '704' },
        { id: '54', value: '1000' },
        { id: '58', value: 'VN' },
      ]);
      const result = decodeVietQr(payload);
      expect(result).toMatchObject({ vietqr: true, transfer: true, errors: [] });
      expect(result.warnings).toEqual([expect.objectContaining({ code: 'FIELDS_OUT_OF_ORDER', tag: '38' })]);
      expect(result.fields.purpose).toBe('abc');
    });

    it('point of initiation is reported as encoded, even when the amount disagrees', () => {
      const staticWithAmount = decodeVietQr(vietqr({ '01': '11' }));
      expect(staticWithAmount).toMatchObject({ vietqr: true, pointOfInitiation: '11' });
      expect(staticWithAmount.fields.initiation).toBe('static');
      expect(codes(staticWithAmount.warnings)).toEqual(['INITIATION_AMOUNT_MISMATCH']);
      const dynamicWithout = decodeVietQr(vietqr({ '54': null }));
      expect(dynamicWithout.fields).toMatchObject({ initiation: 'dynamic', amount: null });
      expect(codes(dynamicWithout.warnings)).toEqual(['INITIATION_AMOUNT_MISMATCH']);
    });

    it('a BIN missing from the directory (not guessed from 9704)', () => {
      const unknown = decodeVietQr(vietqr({}, napas({ bin: '970499' })));
      expect(unknown).toMatchObject({
        vietqr: true,
        warnings: [expect.objectContaining({ code: 'BANK_UNKNOWN', tag: '38/01/00' })],
      });
      expect(unknown.fields.bankShortName).toBeNull();
      const cake = decodeVietQr(vietqr({}, napas({ bin: '546034' })));
      expect(cake).toMatchObject({ vietqr: true, warnings: [] });
      expect(cake.fields.bankShortName).toBe('CAKE');
    });

    it('an amount with a trailing "." (valid) is reported without it', () => {
      const result = decodeVietQr(vietqr({ '54': '50000.' }));
      expect(result).toMatchObject({ vietqr: true, errors: [], warnings: [] });
      expect(result.fields.amount).toBe('50000');
    });

    it('an amount not below NAPAS247’s 500 million ceiling', () => {
      expect(codes(decodeVietQr(vietqr({ '54': '499999999' })).warnings)).toEqual([]);
      expect(codes(decodeVietQr(vietqr({ '54': '500000000' })).warnings)).toEqual(['AMOUNT_ABOVE_NAPAS_LIMIT']);
    });

    it('an alphanumeric virtual account', () => {
      const result = decodeVietQr(vietqr({}, napas({ bin: '970454', account: '99ZP24009M07248267' })));
      expect(result).toMatchObject({ vietqr: true, transfer: true, warnings: [] });
    });
  });

  describe('errors name the tag and position', () => {
    it.each([
      ['amount with decimals', { '54': '1000.50' }, 'AMOUNT_INVALID', '54'],
      ['amount with a space', { '54': '50 000' }, 'AMOUNT_INVALID', '54'],
      ['amount over 13 characters', { '54': '12345678901234' }, 'AMOUNT_INVALID', '54'],
      ['point of initiation 13', { '01': '13' }, 'INITIATION_INVALID', '01'],
      ['currency USD', { '53': '840' }, 'CURRENCY_NOT_VND', '53'],
      ['country TH', { '58': 'TH' }, 'COUNTRY_NOT_VN', '58'],
      ['tip indicator 02 without fee', { '55': '02' }, 'TIP_INVALID', '55'],
      ['fixed fee without indicator', { '56': '1000' }, 'TIP_INVALID', '56'],
    ])('%s', (_name, root, code, tag) => {
      const result = decodeVietQr(vietqr(root));
      expect(result).toMatchObject({ emvco: true, vietqr: false, transfer: false });
      expect(result.errors).toEqual([expect.objectContaining({ code, tag, position: expect.any(Number) })]);
      expect(result.errors[0].message).toMatch(new RegExp(`^tag ${tag} at position \\d+: `));
    });

    it.each([
      ['missing point of initiation', { '01': null }, 'INITIATION_MISSING'],
      ['missing currency', { '53': null }, 'CURRENCY_MISSING'],
      ['missing country', { '58': null }, 'COUNTRY_MISSING'],
    ])('%s', (_name, root, code) => {
      expect(codes(decodeVietQr(vietqr(root)).errors)).toEqual([code]);
    });

    it.each([
      ['a 5-digit BIN', napas({ bin: '97043' }), 'BIN_INVALID', '38/01/00'],
      ['a 20-character account', napas({ account: '1'.repeat(20) }), 'ACCOUNT_INVALID', '38/01/01'],
      ['an unexpected field in 38', napas({ extra: [{ id: '05', value: 'x' }] }), 'NAPAS_UNEXPECTED_FIELD', '38/05'],
    ])('%s', (_name, template, code, tag) => {
      const result = decodeVietQr(vietqr({}, template));
      expect(result.vietqr).toBe(false);
      expect(result.errors).toEqual([expect.objectContaining({ code, tag })]);
    });

    it('a missing beneficiary, BIN or account', () => {
      const noBeneficiary: TlvObject = {
        id: '38',
        value: [
          { id: '00', value: 'A000000727' },
          { id: '02', value: 'QRIBFTTA' },
        ],
      };
      expect(decodeVietQr(vietqr({}, noBeneficiary)).errors).toEqual([
        expect.objectContaining({ code: 'NAPAS_FIELD_MISSING', tag: '38' }),
      ]);
      const noAccount: TlvObject = {
        id: '38',
        value: [
          { id: '00', value: 'A000000727' },
          { id: '01', value: [{ id: '00', value: '970436' }] },
        ],
      };
      expect(decodeVietQr(vietqr({}, noAccount)).errors).toEqual([
        expect.objectContaining({ code: 'NAPAS_FIELD_MISSING', tag: '38/01' }),
      ]);
    });

    it('a repeated tag inside the beneficiary template', () => {
      // 38/01 = 00 (BIN) + 01 (account) + 01 again; positions: 38 at 12, 38/01 at 30, 01s at 44 and 58.
      const body =
        '000201' +
        '010211' +
        '3868' +
        '0010A000000727' +
        '0138' +
        '0006970436' +
        '01100011001932' +
        '01100000000001' +
        '0208QRIBFTTA' +
        '5303704' +
        '5802VN' +
        '6304';
      expect(body.slice(58, 62)).toBe('0110');
      const result = decodeVietQr(body + crc16Hex(body));
      expect(result.vietqr).toBe(false);
      expect(result.errors).toEqual([
        expect.objectContaining({ code: 'TLV_DUPLICATE_TAG', tag: '38/01/01', position: 58 }),
      ]);
      expect(result.errors[0].message).toBe(
        'tag 38/01/01 at position 58: ID 01 repeats in the template 38/01 (first at position 44)',
      );
    });

    it('a payload over 512 characters', () => {
      const payload = vietqr();
      const filler = encodeTlv(['80', '81', '82', '83'].map((id) => ({ id, value: 'x'.repeat(99) })));
      const body = `${payload.slice(0, -8)}${filler}6304`;
      const long = body + crc16Hex(body);
      expect(long.length).toBeGreaterThan(512);
      const result = decodeVietQr(long);
      expect(codes(result.errors)).toEqual(['PAYLOAD_TOO_LONG']);
      expect(result.fields.bankBin).toBeNull();
    });
  });

  describe('robustness', () => {
    it('never throws on arbitrary text, and only CRC-valid payloads can be VietQR', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 700 }), (text) => {
          const result = decodeVietQr(text);
          if (result.vietqr) expect(result.crcValid && result.emvco).toBe(true);
          expect(result.errors.length > 0 || result.vietqr).toBe(true);
        }),
        { numRuns: 3000 },
      );
    });

    it('never throws on mutations of a valid payload, and no single changed character passes', () => {
      const payload = vietqr({ '59': 'QUAN PHO HUNG', '60': 'DONG XOAI' });
      fc.assert(
        fc.property(fc.nat(payload.length - 1), fc.integer({ min: 0x20, max: 0x7e }), (at, code) => {
          const replacement = String.fromCharCode(code);
          fc.pre(payload[at].toUpperCase() !== replacement.toUpperCase() || at < payload.length - 4);
          fc.pre(payload[at] !== replacement);
          const mutated = payload.slice(0, at) + replacement + payload.slice(at + 1);
          expect(decodeVietQr(mutated).vietqr).toBe(false);
        }),
        { numRuns: 3000 },
      );
      fc.assert(
        fc.property(fc.nat(payload.length), fc.nat(payload.length), (from, to) => {
          const cut = payload.slice(0, Math.min(from, to)) + payload.slice(Math.max(from, to));
          const result = decodeVietQr(cut);
          if (from !== to) expect(result.vietqr).toBe(false);
        }),
      );
    });
  });
});
