import { createHmac } from 'node:crypto';

/**
 * Unique paying shoppers without keeping who they are: the payer account is hashed with
 * HMAC-SHA256 under a secret salt, and only a HyperLogLog slot (register, rank) derived from the
 * hash is stored with the payment. A street's shoppers on a day are one sketch of 2,048 registers
 * (one byte each); sketches of days, streets and months merge by taking the larger byte, so the
 * count of any union is exact-as-a-set-operation and its estimate has ~2.3 % standard error,
 * near-exact below a few thousand shoppers (linear counting).
 */
export const SKETCH_BITS = 11;

/**
 * The street id under which the whole city's sketches are kept (every street's payers together),
 * so an unfiltered series reads one stored estimate per bucket instead of merging each street's.
 */
export const ALL_STREETS = '00000000-0000-0000-0000-000000000000';
export const SKETCH_REGISTERS = 1 << SKETCH_BITS;

export interface ShopperSlot {
  register: number;
  rank: number;
}

/** The payer account as a bank shows it, folded so spacing and case do not make two shoppers. */
export function normalisePayerAccount(account: string): string {
  return account.replace(/[\s.-]/g, '').toUpperCase();
}

/** HMAC-SHA256 of the payer account under the salt; null when there is no usable account. */
export function payerHash(account: string | null, salt: string): Buffer | null {
  if (account === null) return null;
  const normalised = normalisePayerAccount(account);
  if (normalised === '') return null;
  return createHmac('sha256', salt).update(normalised).digest();
}

/** The register (first 11 bits of the hash) and rank (leading zeros of the next 29 bits + 1). */
export function slotOf(hash: Uint8Array): ShopperSlot {
  const register = (hash[0] << 3) | (hash[1] >> 5);
  const rest = (((hash[1] & 0x1f) << 24) | (hash[2] << 16) | (hash[3] << 8) | hash[4]) >>> 0;
  const rank = rest === 0 ? 30 : Math.clz32(rest) - 3 + 1;
  return { register, rank };
}

export function emptySketch(): Uint8Array {
  return new Uint8Array(SKETCH_REGISTERS);
}

export function addSlot(sketch: Uint8Array, slot: ShopperSlot): void {
  if (sketch[slot.register] < slot.rank) sketch[slot.register] = slot.rank;
}

const HIGH_BITS = 0x80808080;

/** The registers four at a time, when the bytes sit on a 4-byte boundary (as pg and Node allocate them). */
function wordsOf(sketch: Uint8Array): Uint32Array | undefined {
  return sketch.byteOffset % 4 === 0 ? new Uint32Array(sketch.buffer, sketch.byteOffset, SKETCH_REGISTERS / 4) : undefined;
}

/**
 * Merges `source` into `target` (register-wise maximum): the sketch of the union. Reports merge
 * hundreds of sketches per request, so registers are compared four per 32-bit word: a rank is at
 * most 30, so each byte's top bit is free and a per-byte subtraction cannot borrow into the next.
 */
export function mergeInto(target: Uint8Array, source: Uint8Array): void {
  if (source.length !== SKETCH_REGISTERS || target.length !== SKETCH_REGISTERS)
    throw new Error(`a sketch has ${SKETCH_REGISTERS} registers`);
  const t = wordsOf(target);
  const s = wordsOf(source);
  if (!t || !s) {
    for (let i = 0; i < SKETCH_REGISTERS; i++) if (source[i] > target[i]) target[i] = source[i];
    return;
  }
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    const b = s[i];
    // 0xff in each byte where a ≥ b, 0x00 where b is larger.
    const keepA = ((((a | HIGH_BITS) - b) & HIGH_BITS) >>> 7) * 0xff;
    t[i] = (a & keepA) | (b & ~keepA);
  }
}

/** The union of the sketches that share a key (e.g. a street's days into its week). */
export function mergeByKey<T extends { sketch: Uint8Array }>(rows: T[], keyOf: (row: T) => string): Map<string, Uint8Array> {
  const merged = new Map<string, Uint8Array>();
  for (const row of rows) {
    const key = keyOf(row);
    let sketch = merged.get(key);
    if (!sketch) merged.set(key, (sketch = emptySketch()));
    mergeInto(sketch, row.sketch);
  }
  return merged;
}

/** 2^-rank for every value a register can hold. */
const INVERSE_POWERS = Float64Array.from({ length: 256 }, (_, rank) => 2 ** -rank);

/** Estimated number of distinct shoppers (HyperLogLog with the small-range correction), rounded. */
export function estimate(sketch: Uint8Array): number {
  const m = SKETCH_REGISTERS;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const rank = sketch[i];
    sum += INVERSE_POWERS[rank];
    if (rank === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
