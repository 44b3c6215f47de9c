import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { paymentCodeArb } from '../test/arbitraries';
import {
  extractPaymentCodes,
  isPaymentCode,
  matchPaymentCode,
  normalizePaymentCode,
  normalizeTransferContent,
} from './payment-code';

const CODE = 'CS7K2M9Q';

describe('payment codes in bank transfer content', () => {
  it('accepts only 1–19 upper-case letters and digits as a code', () => {
    expect(isPaymentCode(CODE)).toBe(true);
    expect(isPaymentCode('cs7k2m9q')).toBe(false);
    expect(isPaymentCode('CS-7K2')).toBe(false);
    expect(isPaymentCode('A'.repeat(19))).toBe(true);
    expect(isPaymentCode('A'.repeat(20))).toBe(false);
    expect(isPaymentCode('')).toBe(false);
  });

  it('normalises what people and banks do to a code', () => {
    expect(normalizePaymentCode(' cs-7k2 m9q ')).toBe(CODE);
    expect(normalizePaymentCode('Đơn CS7K2M9Q')).toBe('DONCS7K2M9Q');
    expect(normalizeTransferContent('Thanh toán QR se123456.FT24')).toBe('THANH TOAN QR SE123456 FT24');
  });

  it.each([
    // Bank prefixes and suffixes around the code (reference §10).
    ['Vietcombank reference prefix', `MBVCB.3278907687.${CODE}.CT tu 0011001932418 NGUYEN VAN A`, 'token'],
    ['IBFT prefix', `IBFT ${CODE}`, 'token'],
    ['SePay-style content', `Thanh toan QR ${CODE}`, 'token'],
    ['Techcombank FT suffix', `${CODE} FT24123456789012`, 'token'],
    ['trace suffix', `${CODE}-Ma GD ACSP/ ab123456 Trace 612345`, 'token'],
    ['lower case', `chuyen tien ${CODE.toLowerCase()}`, 'token'],
    ['diacritics around it', `Thanh toán đơn ${CODE} cảm ơn`, 'token'],
    ['split by a space', 'CS7K 2M9Q thanh toan', 'split'],
    ['split by a hyphen', 'CS7K-2M9Q', 'split'],
    ['glued to the payer name (spaces removed)', `NGUYENVANACHUYENTIEN${CODE}`, 'embedded'],
    ['glued to a bank suffix', `${CODE}GD123`, 'embedded'],
  ])('finds the code: %s', (_name, content, kind) => {
    expect(matchPaymentCode(content, CODE)?.kind).toBe(kind);
  });

  it.each([
    ['a different code', 'Thanh toan QR CS7K2M9R'],
    ['a longer digit run (another order)', 'SE1234567'],
    ['no code at all', 'chuyen tien an trua'],
    ['empty content', ''],
  ])('does not match %s', (_name, content) => {
    const code = content.startsWith('SE') ? 'SE123456' : CODE;
    expect(matchPaymentCode(content, code)).toBeNull();
  });

  it('does not take a digit-leading code out of a longer number', () => {
    expect(matchPaymentCode('REF 91234567', '1234567')).toBeNull();
    expect(matchPaymentCode('REF X1234567', '1234567')?.kind).toBe('embedded');
  });

  it('finds any code in any surrounding a bank adds', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'abc XYZ.-/:0'.split('')), maxLength: 20 });
    fc.assert(
      fc.property(paymentCodeArb, noise, noise, (code, before, after) => {
        const content = `${before} ${code.toLowerCase()} ${after}`;
        expect(matchPaymentCode(content, code)).not.toBeNull();
      }),
    );
  });

  it('extracts fixed-shape candidates, whole words first', () => {
    expect(extractPaymentCodes(`MBVCB.3278907687.${CODE}.CT tu NGUYEN`, { prefix: 'CS', length: 8 })).toEqual([CODE]);
    expect(extractPaymentCodes('CS7K 2M9Q', { prefix: 'CS', length: 8 })).toEqual([CODE]);
    expect(extractPaymentCodes('csaaaaaa xx CS7K2M9Q', { prefix: 'cs', length: 8 })).toEqual(['CSAAAAAA', CODE]);
    expect(extractPaymentCodes('nothing here', { prefix: 'CS', length: 8 })).toEqual([]);
    expect(() => extractPaymentCodes('x', { prefix: 'CS', length: 2 })).toThrow(RangeError);
  });
});
