import { describe, expect, it } from '@jest/globals';
import { decideMatch, paymentCodesIn } from './matching';
import type { AccountOwner, IntentCandidate, MatchInput } from './matching';

const CODE = 'CS7K2M9QXR';

describe('payment codes in mangled transfer content', () => {
  // How banks and their feeds deliver the content "CS7K2M9QXR Phở bò tái" of a dynamic VietQR.
  const delivered: [string, string][] = [
    ['as encoded', 'CS7K2M9QXR Pho bo tai'],
    ['diacritics kept', 'CS7K2M9QXR Phở bò tái'],
    ['lower case', 'cs7k2m9qxr pho bo tai'],
    ['VCB: MBVCB reference prefix, dots', 'MBVCB.3278907687.CS7K2M9QXR Pho bo tai.CT tu 0071001234567 NGUYEN VAN A'],
    ['VCB: IBFT prefix', 'IBFT CS7K2M9QXR PHO BO TAI'],
    ['MB: FT reference suffix', 'CS7K2M9QXR Pho bo tai   FT25335123456789'],
    ['MB: "QR - " prefix', 'QR - CS7K2M9QXR Pho bo tai'],
    ['TCB: payer text first', 'NGUYEN VAN A chuyen tien CS7K2M9QXR Pho bo tai'],
    ['ACB: semicolons and trace', 'ACB;0071001234567;CS7K2M9QXR PHO BO TAI GD 612345-112625 10:05:38'],
    ['Trace suffix', 'CS7K2M9QXR Pho bo tai Trace 612345'],
    ['split by spaces', 'CS 7K2M 9QXR Pho bo tai'],
    ['split after the prefix', 'CS 7K2M9QXR PHO BO'],
    ['dashes', 'CS-7K2M-9QXR-Pho-bo-tai'],
    ['underscores', 'CS_7K2M9QXR_PHO_BO'],
    ['glued to the payer name, spaces removed', 'NGUYENVANACS7K2M9QXRPHOBOTAI'],
    ['truncated at 25 characters, code intact', 'CS7K2M9QXR Pho bo tai Ng'.slice(0, 25)],
    ['truncated at 50, after bank text', 'MBVCB.3278907687.CS7K2M9QXR.Pho bo tai CT tu 0071'.slice(0, 50)],
    ['Vietnamese words around', 'Thanh toán đơn CS7K2M9QXR cảm ơn'],
  ];

  for (const [style, content] of delivered) {
    it(`finds the code first: ${style}`, () => {
      expect(paymentCodesIn(content)[0]).toBe(CODE);
    });
  }

  it('finds nothing in content cut before the code ended, or without a code', () => {
    expect(paymentCodesIn('MBVCB.3278907687.CS7K2M9Q'.slice(0, 25))).toEqual([]);
    expect(paymentCodesIn('NGUYEN VAN A chuyen tien')).toEqual([]);
    expect(paymentCodesIn('')).toEqual([]);
  });

  it('reads Crockford look-alikes O → 0 and I/L → 1, refuses U', () => {
    expect(paymentCodesIn('CSOK1M9QXL')).toEqual(['CS0K1M9QX1']);
    expect(paymentCodesIn('csik1m9qxr')).toEqual(['CS1K1M9QXR']);
    expect(paymentCodesIn('CSUK1M9QXR')).toEqual([]);
  });

  it('lists other candidates after the whole-word code (the lookup decides)', () => {
    const codes = paymentCodesIn('THANH TOAN CSKH CS7K2M9QXR');
    expect(codes[0]).toBe(CODE);
    expect(codes).toContain('CSKHCS7K2M');
    expect(new Set(codes).size).toBe(codes.length);
  });
});

const now = new Date('2026-11-26T10:00:00Z');
const merchant = '0193a5a0-0000-7000-8000-000000000001';
const other = '0193a5a0-0000-7000-8000-000000000002';
const account = { bankBin: '970436', accountNumber: '2000000051' };

function intent(patch: Partial<IntentCandidate> = {}): IntentCandidate {
  return {
    id: '0193a5a0-0000-7000-8000-0000000000a1',
    merchantId: merchant,
    paymentCode: CODE,
    status: 'requires_payment',
    amount: 50_000,
    received: 0,
    expiresAt: new Date('2026-11-26T10:15:00Z'),
    ...account,
    ...patch,
  };
}

const owner = (merchantId = merchant, status = 'active'): AccountOwner => ({ merchantId, status });

function decide(input: Partial<MatchInput> & { amount?: number }) {
  return decideMatch({
    transfer: { ...account, amount: input.amount ?? 50_000, ...input.transfer },
    codes: input.codes ?? [CODE],
    intents: input.intents ?? [intent()],
    owners: input.owners ?? [owner()],
    now: input.now ?? now,
  });
}

describe('matching outcomes', () => {
  it('open intent, its account: equal → succeeded, less → underpaid, more → overpaid', () => {
    expect(decide({ amount: 50_000 })).toMatchObject({
      kind: 'intent',
      merchantId: merchant,
      outcome: 'succeeded',
      intentStatus: 'succeeded',
      counted: true,
    });
    expect(decide({ amount: 49_999 })).toMatchObject({ outcome: 'underpaid', intentStatus: 'underpaid' });
    expect(decide({ amount: 50_001 })).toMatchObject({ outcome: 'overpaid', intentStatus: 'overpaid' });
  });

  it('adds up further transfers to an underpaid intent', () => {
    const underpaid = [intent({ status: 'underpaid', received: 30_000 })];
    expect(decide({ intents: underpaid, amount: 20_000 })).toMatchObject({
      outcome: 'succeeded',
      intentStatus: 'succeeded',
    });
    expect(decide({ intents: underpaid, amount: 10_000 })).toMatchObject({
      outcome: 'underpaid',
      intentStatus: 'underpaid',
    });
    expect(decide({ intents: underpaid, amount: 25_000 })).toMatchObject({
      outcome: 'overpaid',
      intentStatus: 'overpaid',
    });
  });

  it('money after expiry or cancel is recorded for the merchant as needs_review, never lost', () => {
    for (const status of ['expired', 'canceled'] as const) {
      expect(decide({ intents: [intent({ status })] })).toMatchObject({
        kind: 'intent',
        merchantId: merchant,
        outcome: 'needs_review',
        intentStatus: 'needs_review',
        counted: false,
      });
    }
    // Past its expiry before the job marked it.
    const late = new Date('2026-11-26T10:15:00Z');
    expect(decide({ now: late })).toMatchObject({ outcome: 'needs_review', intentStatus: 'needs_review' });
    expect(decide({ now: late, intents: [intent({ status: 'underpaid', received: 1 })] })).toMatchObject({
      outcome: 'needs_review',
      intentStatus: 'needs_review',
    });
  });

  it('a second transfer for a settled intent is needs_review; the intent keeps its status', () => {
    for (const status of ['succeeded', 'overpaid', 'needs_review'] as const) {
      expect(decide({ intents: [intent({ status, received: 50_000 })] })).toMatchObject({
        kind: 'intent',
        outcome: 'needs_review',
        intentStatus: status,
        counted: false,
      });
    }
  });

  it('accepts another payout account of the same merchant, and the intent account even if since removed', () => {
    const second = { bankBin: '970422', accountNumber: '0987654321' };
    expect(decide({ transfer: { ...second, amount: 50_000 }, owners: [owner()] })).toMatchObject({
      kind: 'intent',
      outcome: 'succeeded',
    });
    expect(decide({ owners: [] })).toMatchObject({ kind: 'intent', outcome: 'succeeded' });
  });

  it('a code naming an intent paid into another merchant’s (or nobody’s) account → account_mismatch', () => {
    const elsewhere = { bankBin: '970436', accountNumber: '9999999999', amount: 50_000 };
    expect(decide({ transfer: elsewhere, owners: [owner(other)] })).toEqual({
      kind: 'unattributed',
      reason: 'account_mismatch',
      intentId: intent().id,
    });
    expect(decide({ transfer: elsewhere, owners: [] })).toMatchObject({ reason: 'account_mismatch' });
  });

  it('prefers the named intent whose account received the money', () => {
    const foreign = intent({ id: 'i-foreign', paymentCode: 'CSAAAAAAAA', merchantId: other, accountNumber: '1' });
    expect(decide({ codes: ['CSAAAAAAAA', CODE], intents: [intent(), foreign] })).toMatchObject({
      kind: 'intent',
      intent: { id: intent().id },
    });
  });

  it('no code of ours: one owner → static (a suspended merchant too), several → shared, none → unknown', () => {
    expect(decide({ codes: [], intents: [] })).toEqual({ kind: 'static', merchantId: merchant });
    expect(decide({ codes: [], intents: [], owners: [owner(merchant, 'suspended')] })).toEqual({
      kind: 'static',
      merchantId: merchant,
    });
    expect(decide({ codes: [], intents: [], owners: [owner(), owner()] })).toEqual({
      kind: 'static',
      merchantId: merchant,
    });
    expect(decide({ codes: [], intents: [], owners: [owner(), owner(other)] })).toEqual({
      kind: 'unattributed',
      reason: 'shared_account',
      intentId: null,
    });
    expect(decide({ codes: [], intents: [], owners: [] })).toEqual({
      kind: 'unattributed',
      reason: 'unknown_account',
      intentId: null,
    });
  });

  it('a code-shaped word that names no intent counts as no code', () => {
    expect(decide({ codes: ['CSKHCS7K2M'], intents: [] })).toEqual({ kind: 'static', merchantId: merchant });
  });
});
