import { describe, expect, it } from '@jest/globals';
import { addSlot, emptySketch, estimate, mergeInto, payerHash, slotOf } from './shopper-sketch';

const salt = 'a-test-salt-of-some-length';

function sketchOf(accounts: string[]): Uint8Array {
  const sketch = emptySketch();
  for (const a of accounts) addSlot(sketch, slotOf(payerHash(a, salt)!));
  return sketch;
}

const accounts = (n: number, prefix = 'acct') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('unique shoppers sketch', () => {
  it('hashes the payer account with the secret salt, ignoring spacing and case', () => {
    expect(payerHash('0071 0012-3456', salt)).toEqual(payerHash('007100123456', salt));
    expect(payerHash('abc', salt)).toEqual(payerHash('ABC', salt));
    expect(payerHash('007100123456', salt)).not.toEqual(payerHash('007100123456', 'another-salt-entirely'));
    expect(payerHash(null, salt)).toBeNull();
    expect(payerHash('  ', salt)).toBeNull();
  });

  it('derives an 11-bit register and a rank from the hash', () => {
    expect(slotOf(Uint8Array.from([0xff, 0xe0, 0, 0, 1]))).toEqual({ register: 2047, rank: 29 });
    expect(slotOf(Uint8Array.from([0, 0x10, 0, 0, 0]))).toEqual({ register: 0, rank: 1 });
    expect(slotOf(Uint8Array.from([0, 0, 0, 0, 0]))).toEqual({ register: 0, rank: 30 });
  });

  it('counts small numbers of shoppers exactly and repeat shoppers once', () => {
    expect(estimate(emptySketch())).toBe(0);
    expect(estimate(sketchOf(['a', 'b', 'c', 'a', 'B']))).toBe(3);
    expect(estimate(sketchOf(accounts(200)))).toBeGreaterThanOrEqual(196);
    expect(estimate(sketchOf(accounts(200)))).toBeLessThanOrEqual(204);
  });

  it('stays within a few per cent at city scale', () => {
    const n = 50_000;
    expect(Math.abs(estimate(sketchOf(accounts(n))) - n) / n).toBeLessThan(0.07);
  });

  it('merges to the sketch of the union, whatever the order', () => {
    const a = sketchOf(accounts(300, 'x'));
    const b = sketchOf([...accounts(100, 'x'), ...accounts(300, 'y')]);
    const ab = emptySketch();
    mergeInto(ab, a);
    mergeInto(ab, b);
    const ba = emptySketch();
    mergeInto(ba, b);
    mergeInto(ba, a);
    expect(ab).toEqual(ba);
    expect(ab).toEqual(sketchOf([...accounts(300, 'x'), ...accounts(300, 'y')]));
  });
});
