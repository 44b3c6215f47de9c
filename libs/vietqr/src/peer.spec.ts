import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalInputArb } from '../test/arbitraries';
import { peerEncode, QRPay } from '../test/peer';
import { loadVectors } from '../test/vectors';
import { crc16Hex } from './crc16';
import { encodeTlv } from './tlv';
import { decodeVietQr } from './vietqr-decode';
import { encodeVietQr } from './vietqr-encode';

/**
 * Differential tests against vietnam-qr-pay 1.5.1, the published TypeScript peer. On valid
 * input both must produce the same bytes and read the same fields. The peer bugs documented in
 * the reference (§9) only show outside valid input; the last block pins each of them down, so
 * that any exception to agreement is a known, demonstrated bug and not a silent difference.
 */
describe('agreement with vietnam-qr-pay', () => {
  it('encodes byte for byte the same payload for random valid inputs', () => {
    fc.assert(
      fc.property(canonicalInputArb, (input) => {
        expect(encodeVietQr(input)).toBe(peerEncode(input));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the same fields from every payload either encoder writes', () => {
    fc.assert(
      fc.property(canonicalInputArb, (input) => {
        const payload = encodeVietQr(input);
        const ours = decodeVietQr(payload);
        const peer = new QRPay(payload);
        expect(peer.isValid).toBe(true);
        expect(ours.vietqr).toBe(true);
        expect({
          initiation: ours.pointOfInitiation,
          bankBin: ours.fields.bankBin,
          account: ours.fields.account,
          service: ours.serviceCode,
          amount: ours.fields.amount,
          purpose: ours.fields.purpose,
          billNumber: ours.fields.billNumber,
          reference: ours.fields.referenceLabel,
          name: ours.fields.merchantName,
          city: ours.fields.merchantCity,
          mcc: ours.fields.mcc,
          currency: ours.fields.currency,
          country: ours.fields.country,
        }).toEqual({
          initiation: peer.initMethod,
          bankBin: peer.consumer.bankBin,
          account: peer.consumer.bankNumber,
          service: peer.provider.service,
          amount: peer.amount ?? null,
          purpose: peer.additionalData.purpose ?? null,
          billNumber: peer.additionalData.billNumber ?? null,
          reference: peer.additionalData.reference ?? null,
          name: peer.merchant.name ?? null,
          city: peer.city ?? null,
          mcc: peer.category ?? null,
          currency: peer.currency,
          country: peer.nation,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on every public positive vector', () => {
    for (const vector of loadVectors().vectors.filter((v) => v.expected.isVietQR)) {
      const peer = new QRPay(vector.payload);
      const ours = decodeVietQr(vector.payload);
      expect([vector.id, peer.isValid, peer.consumer.bankBin, peer.consumer.bankNumber, peer.amount ?? null]).toEqual([
        vector.id,
        ours.vietqr,
        ours.fields.bankBin,
        ours.fields.account,
        ours.fields.amount,
      ]);
    }
  });
});

describe('documented peer bugs (the only allowed disagreements)', () => {
  const withCrc = (body: string) => `${body}6304${crc16Hex(`${body}6304`)}`;

  it('peer writes the last two digits of the length for values over 99 characters; we refuse', () => {
    const qr = QRPay.initVietQR({ bankBin: '970436', bankNumber: '1', amount: '1000', purpose: 'x'.repeat(100) });
    expect(qr.build()).toContain(`0800${'x'.repeat(100)}`);
    expect(() => encodeTlv([{ id: '08', value: 'x'.repeat(100) }])).toThrow(/1–99/);
  });

  it('peer checks no bank limits (25-character purpose, 19-character account); we enforce them', () => {
    const qr = QRPay.initVietQR({
      bankBin: '970436',
      bankNumber: '1'.repeat(25),
      amount: '1000',
      purpose: 'p'.repeat(40),
    });
    const payload = qr.build();
    expect(new QRPay(payload).isValid).toBe(true);
    expect(decodeVietQr(payload).errors.map((e) => e.code)).toEqual(['ACCOUNT_INVALID']);
    expect(decodeVietQr(payload).warnings.map((w) => w.code)).toEqual(['FIELD_TOO_LONG']);
    expect(() => encodeVietQr({ bankBin: '970436', account: '1'.repeat(25) })).toThrow(/1–19/);
  });

  it('peer verifies the CRC without checking that "6304" precedes it; we require the CRC object', () => {
    const body = '000201010211' + '5303704' + '5802VN';
    const noCrcObject = body + crc16Hex(body);
    expect(new QRPay(noCrcObject).isValid).toBe(true);
    expect(decodeVietQr(noCrcObject).errors.map((e) => e.code)).toContain('CRC_MISSING');
  });

  it('peer accepts a malformed NAPAS template (NAPAS §6.1.1 as printed); we reject it', () => {
    const v = loadVectors().vectors.find((x) => x.id === 'edge-napas-6.1.1-as-printed');
    expect(v).toBeDefined();
    const peer = new QRPay(v?.payload);
    expect(peer.isValid).toBe(true);
    expect(peer.consumer.bankNumber).toBe('001101234567');
    expect(decodeVietQr(v?.payload ?? '').vietqr).toBe(false);
  });

  it('peer ignores duplicate tags (the last one wins); we reject them', () => {
    const payload = withCrc(
      '000201010212' +
        '38530010A0000007270123000697041601092576788590208QRIBFTTA' +
        '5303704' +
        '54031005403900' +
        '5802VN',
    );
    const peer = new QRPay(payload);
    expect(peer.isValid).toBe(true);
    expect(peer.amount).toBe('900');
    expect(decodeVietQr(payload).errors.map((e) => e.code)).toEqual(['TLV_DUPLICATE_TAG']);
  });
});
