import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SKETCH_REGISTERS, addSlot, emptySketch, estimate, mergeInto, payerHash, slotOf } from './shopper-sketch';

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

  it('merges register by register to the larger rank, aligned or not', () => {
    const rank = fc.integer({ min: 0, max: 30 });
    const sketch = fc.uint8Array({ minLength: SKETCH_REGISTERS, maxLength: SKETCH_REGISTERS, min: 0, max: 30 });
    fc.assert(
      fc.property(sketch, sketch, fc.integer({ min: 0, max: 3 }), rank, (a, b, offset, edge) => {
        // Equal ranks and the extremes (0 and 30) side by side in one word are the risky cases.
        a[7] = edge;
        b[7] = edge;
        a[8] = 30;
        b[8] = 0;
        const expected = a.map((r, i) => Math.max(r, b[i]));
        // The target at an odd byte offset takes the register-by-register path.
        const target = new Uint8Array(new ArrayBuffer(SKETCH_REGISTERS + 4), offset, SKETCH_REGISTERS);
        target.set(a);
        mergeInto(target, b);
        expect([...target]).toEqual([...expected]);
      }),
      { numRuns: 200 },
    );
  });

  it('estimates from the registers exactly as the HyperLogLog formula does', () => {
    const sketch = sketchOf(accounts(20_000));
    let sum = 0;
    for (const r of sketch) sum += 2 ** -r;
    const m = SKETCH_REGISTERS;
    expect(estimate(sketch)).toBe(Math.round(((0.7213 / (1 + 1.079 / m)) * m * m) / sum));
  });
});
