import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalInputArb, vietnameseTextArb, binArb, accountArb } from '../test/arbitraries';
import { loadVectors } from '../test/vectors';
import { findBankByBin } from './banks';
import { decodeVietQr } from './vietqr-decode';
import { composePurpose, encodeVietQr, VietQrInputError, type VietQrInput } from './vietqr-encode';

const vector = (id: string): string => {
  const found = loadVectors().vectors.find((v) => v.id === id);
  if (found === undefined) throw new Error(`no vector ${id}`);
  return found.payload;
};

function inputError(input: VietQrInput): VietQrInputError {
  try {
    encodeVietQr(input);
  } catch (error) {
    if (error instanceof VietQrInputError) return error;
    throw error;
  }
  throw new Error('expected a VietQrInputError');
}

describe('encodeVietQr', () => {
  it('reproduces the NAPAS specification examples byte for byte', () => {
    expect(encodeVietQr({ bankBin: '970403', account: '9704031101234567', service: 'card' })).toBe(
      vector('napas-6.1.2-static-card'),
    );
    expect(
      encodeVietQr({
        bankBin: '970403',
        account: '0011012345678',
        amount: 180000,
        billNumber: 'NPS6869',
        purpose: 'thanh toan don hang',
      }),
    ).toBe(vector('napas-6.1.3-dynamic-account'));
    expect(
      encodeVietQr({
        bankBin: '970403',
        account: '9704031101234567',
        service: 'card',
        amount: 180000n,
        billNumber: 'NPS6869',
        purpose: 'thanh toan don hang',
      }),
    ).toBe(vector('napas-6.1.4-dynamic-card'));
  });

  it('reproduces published generator outputs, folding Vietnamese as they did', () => {
    expect(encodeVietQr({ bankBin: '970423', account: '0099999999' })).toBe(vector('subiz-static-tpbank'));
    expect(encodeVietQr({ bankBin: '970422', account: '0023457923442', amount: 40123, purpose: 'chuyển khoản' })).toBe(
      vector('subiz-dynamic-diacritics-stripped'),
    );
    expect(
      encodeVietQr({ bankBin: '970415', account: '0011001932418', amount: 120000, purpose: 'ủng hộ lũ lụt' }),
    ).toBe(vector('subiz-example-vietinbank'));
    expect(encodeVietQr({ bankBin: '970416', account: '257678859', amount: 10000, purpose: 'Chuyen tien' })).toBe(
      vector('xuannghia-dynamic-acb-10000'),
    );
    expect(
      encodeVietQr({ bankBin: '970415', account: '113366668888', amount: 79000, purpose: 'Ung Hộ Quỹ Vắc Xin' }),
    ).toBe(vector('vietqrio-generate-sample'));
  });

  it('writes a zero-padded, upper-case CRC', () => {
    // Search deterministic inputs for CRCs that start with 0 or contain hex letters.
    const crcs = Array.from({ length: 400 }, (_, i) =>
      encodeVietQr({ bankBin: '970407', account: String(1000 + i) }).slice(-4),
    );
    const padded = crcs.filter((crc) => crc.startsWith('0'));
    expect(padded.length).toBeGreaterThan(0);
    for (const crc of crcs) expect(crc).toMatch(/^[0-9A-F]{4}$/);
  });

  it('writes amounts as whole đồng without ".0" and takes bigint', () => {
    expect(encodeVietQr({ bankBin: '970436', account: '1', amount: 50000 })).toContain('540550000');
    expect(encodeVietQr({ bankBin: '970436', account: '1', amount: 499_999_999n })).toContain('5409499999999');
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 1000.5],
    ['500 million', 500_000_000],
    ['NaN', Number.NaN],
    ['unsafe integer', 2 ** 53],
    ['zero bigint', 0n],
    ['500 million bigint', 500_000_000n],
  ])('rejects a %s amount', (_name, amount) => {
    expect(inputError({ bankBin: '970436', account: '1', amount })).toMatchObject({
      code: 'AMOUNT_INVALID',
      field: 'amount',
    });
  });

  it('chooses static without an amount and dynamic with one, and refuses a static QR with an amount', () => {
    expect(decodeVietQr(encodeVietQr({ bankBin: '970436', account: '1' })).fields.initiation).toBe('static');
    expect(decodeVietQr(encodeVietQr({ bankBin: '970436', account: '1', amount: 1 })).fields.initiation).toBe(
      'dynamic',
    );
    expect(decodeVietQr(encodeVietQr({ bankBin: '970436', account: '1', initiation: 'dynamic' })).fields).toMatchObject(
      {
        initiation: 'dynamic',
        amount: null,
      },
    );
    expect(inputError({ bankBin: '970436', account: '1', amount: 1, initiation: 'static' }).code).toBe(
      'INITIATION_INVALID',
    );
  });

  it('validates the BIN by the directory only, never by a 9704 prefix', () => {
    expect(inputError({ bankBin: '970499', account: '1' }).code).toBe('BANK_UNKNOWN');
    expect(inputError({ bankBin: '97043', account: '1' }).code).toBe('BANK_UNKNOWN');
    expect(decodeVietQr(encodeVietQr({ bankBin: '963388', account: '9021234567' })).fields.bankShortName).toBe('Timo');
    expect(decodeVietQr(encodeVietQr({ bankBin: '971025', account: 'PSP123456789000000' })).vietqr).toBe(true);
  });

  it.each([
    ['an empty account', { account: '' }, 'ACCOUNT_INVALID'],
    ['a 20-character account', { account: '1'.repeat(20) }, 'ACCOUNT_INVALID'],
    ['an account with a space', { account: '0011 0019' }, 'ACCOUNT_INVALID'],
    ['a card number with letters', { account: '9704A31101234567', service: 'card' }, 'ACCOUNT_INVALID'],
    ['a lower-case payment code', { paymentCode: 'cs123' }, 'PAYMENT_CODE_INVALID'],
    ['a 20-character payment code', { paymentCode: 'A'.repeat(20) }, 'PAYMENT_CODE_INVALID'],
    ['a 26-character bill number', { billNumber: 'B'.repeat(26) }, 'BILL_NUMBER_INVALID'],
    ['a bill number with a space', { billNumber: 'HD 01' }, 'BILL_NUMBER_INVALID'],
    ['a 3-digit MCC', { mcc: '581' }, 'MCC_INVALID'],
  ] as const)('rejects %s, naming the field', (_name, override, code) => {
    const error = inputError({ bankBin: '970436', account: '0011001932418', ...override });
    expect(error.code).toBe(code);
    expect(Object.keys(override)).toContain(error.field);
  });

  it('puts the payment code first and cuts the purpose to 25 characters', () => {
    expect(composePurpose('CS7K2M9Q', 'Thanh toán đơn hàng số 1234 tại quán phở')).toBe('CS7K2M9Q Thanh toan don');
    expect(composePurpose('CS7K2M9Q', undefined)).toBe('CS7K2M9Q');
    expect(composePurpose(undefined, '  Đồng   Xoài!! ')).toBe('Dong Xoai');
    expect(composePurpose('ABCDEFGHIJKLMNOPQRS', 'xin cam on')).toBe('ABCDEFGHIJKLMNOPQRS xin');
    expect(composePurpose(undefined, '!!!')).toBe('');
  });

  it('folds and cuts merchant name and city', () => {
    const decoded = decodeVietQr(
      encodeVietQr({
        bankBin: '970436',
        account: '1',
        merchantName: 'Quán Phở Hùng Vương - Đồng Xoài',
        merchantCity: 'Thành phố Đồng Xoài',
      }),
    );
    expect(decoded.fields).toMatchObject({ merchantName: 'Quan Pho Hung Vuong Dong', merchantCity: 'Thanh pho Dong' });
    expect(decoded.warnings).toEqual([]);
  });

  it('round-trips any valid input through the decoder', () => {
    fc.assert(
      fc.property(canonicalInputArb, (input) => {
        const payload = encodeVietQr(input);
        const result = decodeVietQr(payload);
        const initiation = input.initiation ?? (input.amount === undefined ? 'static' : 'dynamic');
        expect(result.errors).toEqual([]);
        expect(result).toMatchObject({ crcValid: true, emvco: true, vietqr: true, transfer: true });
        expect(result.warnings.map((w) => w.code)).toEqual(
          initiation === 'dynamic' && input.amount === undefined ? ['INITIATION_AMOUNT_MISMATCH'] : [],
        );
        const purpose = composePurpose(input.paymentCode, input.purpose);
        expect(result.fields).toEqual({
          initiation,
          bankBin: input.bankBin,
          bankShortName: findBankByBin(input.bankBin)?.shortName ?? null,
          account: input.account,
          service: input.service ?? 'account',
          amount: input.amount === undefined ? null : String(input.amount),
          currency: '704',
          country: 'VN',
          purpose: purpose === '' ? null : purpose,
          billNumber: input.billNumber ?? null,
          referenceLabel: input.referenceLabel ?? null,
          merchantName: input.merchantName ?? null,
          merchantCity: input.merchantCity ?? null,
          mcc: input.mcc ?? null,
        });
        expect(payload.length).toBeLessThanOrEqual(512);
      }),
      { numRuns: 3000 },
    );
  });

  it('emits only ASCII, within every limit, whatever Vietnamese text it is given', () => {
    fc.assert(
      fc.property(
        binArb,
        accountArb,
        vietnameseTextArb,
        vietnameseTextArb,
        vietnameseTextArb,
        (bankBin, account, purpose, name, city) => {
          const payload = encodeVietQr({
            bankBin,
            account,
            amount: 1000,
            purpose,
            merchantName: name,
            merchantCity: city,
          });
          expect(payload).toMatch(/^[\x20-\x7e]+$/);
          const result = decodeVietQr(payload);
          expect(result).toMatchObject({ vietqr: true, errors: [], warnings: [] });
          expect((result.fields.purpose ?? '').length).toBeLessThanOrEqual(25);
          expect(result.fields.purpose ?? '').toMatch(/^([A-Za-z0-9]+( [A-Za-z0-9]+)*)?$/);
          expect(result.fields.purpose ?? '').not.toMatch(/[đĐ]/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
