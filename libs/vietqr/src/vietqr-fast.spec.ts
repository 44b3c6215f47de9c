import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalInputArb } from '../test/arbitraries';
import { loadVectors } from '../test/vectors';
import { crc16Hex } from './crc16';
import { decodeVietQr, decodeVietQrFull, type VietQrDecodeResult } from './vietqr-decode';
import { encodeVietQr } from './vietqr-encode';
import { decodeCleanVietQr } from './vietqr-fast';

const full = (payload: string) => decodeVietQrFull(payload).objects;

/** Every observable part of a result, the lazily built TLV tree included. */
const view = (result: VietQrDecodeResult) => ({ ...result, objects: result.objects });

/** Re-seals a mutated payload body with a correct CRC, so the mutation reaches the TLV rules. */
function reseal(body: string): string {
  const withTag = `${body}6304`;
  return withTag + crc16Hex(withTag);
}

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    char: fc.constantFrom(...'0123456789ABQRVNaz .-'.split('')),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    char: fc.constantFrom(...'0123456789A .'.split('')),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), char: fc.constant('') }),
);

function mutate(body: string, m: { kind: 'replace' | 'insert' | 'delete'; at: number; char: string }): string {
  const at = m.at % (body.length + 1);
  if (m.kind === 'insert') return body.slice(0, at) + m.char + body.slice(at);
  const i = Math.min(at, body.length - 1);
  return body.slice(0, i) + (m.kind === 'replace' ? m.char : '') + body.slice(i + 1);
}

describe('fast path of decodeVietQr', () => {
  it('takes every clean payload the encoder writes, with the full decoder’s result', () => {
    fc.assert(
      fc.property(canonicalInputArb, (input) => {
        const payload = encodeVietQr(input);
        const dynamicWithoutAmount = input.initiation === 'dynamic' && input.amount === undefined;
        const fast = decodeCleanVietQr(payload, full);
        // A dynamic QR without amount earns a warning, so only the full decoder may answer.
        expect(fast === null).toBe(dynamicWithoutAmount);
        expect(view(decodeVietQr(payload))).toEqual(view(decodeVietQrFull(payload)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the full decoder on payloads mutated and re-sealed with a valid CRC', () => {
    let fastTaken = 0;
    fc.assert(
      fc.property(canonicalInputArb, fc.array(mutation, { minLength: 1, maxLength: 3 }), (input, mutations) => {
        const body = mutations.reduce(mutate, encodeVietQr(input).slice(0, -8));
        const payload = reseal(body);
        if (decodeCleanVietQr(payload, full) !== null) fastTaken++;
        expect(view(decodeVietQr(payload))).toEqual(view(decodeVietQrFull(payload)));
      }),
      { numRuns: 5000 },
    );
    // Some mutations keep a clean VietQR (a changed account digit, amount, purpose letter…).
    expect(fastTaken).toBeGreaterThan(100);
  });

  it('agrees on every public vector and on arbitrary text', () => {
    for (const vector of loadVectors().vectors) {
      expect(view(decodeVietQr(vector.payload))).toEqual(view(decodeVietQrFull(vector.payload)));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(view(decodeVietQr(text))).toEqual(view(decodeVietQrFull(text)));
      }),
    );
  });

  it.each([
    ['lower-case CRC', (p: string) => p.slice(0, -4) + p.slice(-4).toLowerCase()],
    ['surrounding whitespace', (p: string) => ` ${p}\n`],
    ['no CRC', (p: string) => p.slice(0, -8)],
  ])('leaves %s to the full decoder', (_name, change) => {
    const payload = change(
      encodeVietQr({ bankBin: '970436', account: '0011001932418', amount: 50000, purpose: 'abc def' }),
    );
    if (
      payload.slice(-4) !== payload.slice(-4).toUpperCase() ||
      payload.trim() !== payload ||
      !payload.includes('6304')
    ) {
      expect(decodeCleanVietQr(payload, full)).toBeNull();
    }
    expect(view(decodeVietQr(payload))).toEqual(view(decodeVietQrFull(payload)));
  });

  it('builds the TLV tree only when asked, and then the same one', () => {
    const payload = encodeVietQr({ bankBin: '970436', account: '0011001932418' });
    const fast = decodeCleanVietQr(payload, full);
    expect(fast).not.toBeNull();
    expect(Object.keys(fast ?? {})).not.toContain('objects');
    expect(JSON.stringify(fast?.objects)).toBe(JSON.stringify(decodeVietQrFull(payload).objects));
    expect(JSON.parse(JSON.stringify(fast))).toEqual(JSON.parse(JSON.stringify(decodeVietQrFull(payload))));
    expect(fast?.objects).toBe(fast?.objects);
  });
});
