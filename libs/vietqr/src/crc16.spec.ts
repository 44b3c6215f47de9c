import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QRPay } from '../test/peer';
import { loadVectors } from '../test/vectors';
import { crc16, crc16Append, crc16Ascii, crc16Bytes, crc16Hex, crc16Update, crcConstant, crcToHex } from './crc16';

/** Bit-at-a-time CRC-16/CCITT-FALSE straight from the definition: the reference implementation. */
function referenceCrc(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
      crc &= 0xffff;
    }
  }
  return crc;
}

describe('CRC-16/CCITT-FALSE', () => {
  it('has the catalogued check value 29B1 for "123456789"', () => {
    const { crcCheckValue } = loadVectors();
    expect(crcCheckValue).toEqual({ input: '123456789', crc: '29B1' });
    expect(crc16Hex('123456789')).toBe('29B1');
    expect(crc16('')).toBe(0xffff);
  });

  it('zero-pads to four upper-case hex digits', () => {
    expect(crcToHex(0x283)).toBe('0283');
    expect(crcToHex(0x0)).toBe('0000');
    expect(crcToHex(0xabc)).toBe('0ABC');
    expect(crcToHex(0xffff)).toBe('FFFF');
  });

  it('matches a bitwise reference implementation over the UTF-8 bytes of any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(crc16(text)).toBe(referenceCrc(new TextEncoder().encode(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches the reference on raw bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(crc16Bytes(bytes)).toBe(referenceCrc(bytes));
      }),
    );
  });

  it('agrees with vietnam-qr-pay on Vietnamese text (UTF-8, not UTF-16 code units)', () => {
    const text = '00020101021238570010A000000727…62260822Thanh toán hóa đơn6304';
    expect(crc16Hex(text)).toBe(QRPay.genCRCCode(text));
    expect(crc16(text)).not.toBe(referenceCrc(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)));
  });

  it('recomputes the declared CRC of every verified public vector', () => {
    for (const vector of loadVectors().vectors) {
      const computed = crc16Hex(vector.payload.slice(0, -4));
      expect({ id: vector.id, crc: computed }).toEqual({ id: vector.id, crc: vector.crcComputed });
      expect(computed === vector.crcDeclared.toUpperCase()).toBe(vector.verified);
    }
  });

  it('gives the same CRC by every path: slicing-by-8, ASCII copy, streaming pieces, constant jumps', () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        fc.array(ascii, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (pieces, asConstant) => {
          const whole = pieces.join('');
          const expected = referenceCrc(new TextEncoder().encode(whole));
          expect(crc16Ascii(whole, whole.length)).toBe(expected);
          let crc = 0xffff;
          pieces.forEach((piece, i) => {
            crc = asConstant[i] ? crc16Append(crc, crcConstant(piece)) : crc16Update(crc, piece);
          });
          expect(crc).toBe(expected);
          if (whole.length > 0)
            expect(crc16Ascii(whole, whole.length - 1)).toBe(
              referenceCrc(new TextEncoder().encode(whole.slice(0, -1))),
            );
        },
      ),
      { numRuns: 500 },
    );
    expect(crc16Ascii('Phở', 3)).toBe(-1);
  });
});
