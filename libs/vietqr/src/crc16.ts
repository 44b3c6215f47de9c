/**
 * CRC-16/CCITT-FALSE (ISO/IEC 13239): polynomial 0x1021, initial value 0xFFFF, no reflection,
 * no final XOR. Check value of "123456789" is 0x29B1. EMVCo MPM and NAPAS VietQR compute it over
 * the UTF-8 bytes of the payload up to and including the CRC's own ID and length ("6304").
 */

/**
 * Tables for 8 bytes per step ("slicing-by-8"). Feeding bytes into the 16-bit register is
 * linear in the register and the bytes, so each input byte's effect can be looked up on its
 * own: after 8 bytes, new = T7[hi ^ b0] ^ T6[lo ^ b1] ^ T5[b2] ^ … ^ T0[b7], where Tk[b] is b
 * shifted in followed by 8·k zero bits. Only the first two lookups depend on the register.
 */
const T: Int32Array[] = Array.from({ length: 8 }, () => new Int32Array(256));
const [T0, T1, T2, T3, T4, T5, T6, T7] = T;

for (let byte = 0; byte < 256; byte++) {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  T0[byte] = crc;
}
for (let k = 1; k < 8; k++) {
  // The register after shifting 8 more zero bits through it.
  for (let byte = 0; byte < 256; byte++) T[k][byte] = ((T[k - 1][byte] << 8) & 0xffff) ^ T0[T[k - 1][byte] >>> 8];
}

const encoder = new TextEncoder();

/** CRC of bytes [0, end) (all of them by default). */
export function crc16Bytes(bytes: Uint8Array, end = bytes.length): number {
  let crc = 0xffff;
  let i = 0;
  for (; i + 7 < end; i += 8) {
    crc =
      T7[(crc >>> 8) ^ bytes[i]] ^
      T6[(crc & 0xff) ^ bytes[i + 1]] ^
      T5[bytes[i + 2]] ^
      T4[bytes[i + 3]] ^
      T3[bytes[i + 4]] ^
      T2[bytes[i + 5]] ^
      T1[bytes[i + 6]] ^
      T0[bytes[i + 7]];
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ T0[(crc >>> 8) ^ bytes[i]];
  return crc;
}

const scratch = new Uint8Array(2048);

/**
 * Copies an ASCII string into `bytes` (natively, faster than reading it character by
 * character) and returns its length, or -1 when it is not all ASCII or does not fit.
 */
export function asciiBytes(text: string, bytes: Uint8Array): number {
  const n = text.length;
  if (n > bytes.length) return -1;
  const { read, written } = encoder.encodeInto(text, bytes);
  return read === n && written === n ? n : -1;
}

/**
 * CRC of the first `end` characters of a string that is all ASCII, else -1 (the caller then
 * takes the UTF-8 path, which is always correct).
 */
export function crc16Ascii(text: string, end: number): number {
  return end <= text.length && asciiBytes(text, scratch) >= 0 ? crc16Bytes(scratch, end) : -1;
}

/** CRC of a string's UTF-8 bytes. */
export function crc16(text: string): number {
  const fast = crc16Ascii(text, text.length);
  return fast >= 0 ? fast : crc16Bytes(encoder.encode(text));
}

/**
 * Streaming CRC for the encoder, which builds a payload from pieces: updating the register
 * piece by piece avoids flattening the concatenated string just to read it back. ASCII only
 * (the encoder emits nothing else); two characters per step (new = T1[hi ^ c0] ^ T0[lo ^ c1]).
 */
export function crc16Update(crc: number, ascii: string): number {
  const n = ascii.length;
  let i = 0;
  for (; i + 1 < n; i += 2) crc = T1[(crc >>> 8) ^ ascii.charCodeAt(i)] ^ T0[(crc & 0xff) ^ ascii.charCodeAt(i + 1)];
  if (i < n) crc = ((crc << 8) & 0xffff) ^ T0[(crc >>> 8) ^ ascii.charCodeAt(i)];
  return crc;
}

/**
 * A constant piece, prepared so that appending it costs two lookups whatever its length:
 * feeding bytes K into register R gives f(R) ^ g(K) (the CRC is linear), where f shifts R
 * through |K| zero bytes — itself linear, so f(R) = high[R >> 8] ^ low[R & 0xff] — and g(K) is
 * K fed into a zero register.
 */
export interface CrcConstant {
  readonly text: string;
  readonly high: Int32Array;
  readonly low: Int32Array;
  readonly tail: number;
}

function feedZeroRegister(register: number, ascii: string): number {
  let crc = register;
  for (let i = 0; i < ascii.length; i++) crc = ((crc << 8) & 0xffff) ^ T0[(crc >>> 8) ^ ascii.charCodeAt(i)];
  return crc;
}

export function crcConstant(ascii: string): CrcConstant {
  const zeros = '\0'.repeat(ascii.length);
  const high = new Int32Array(256);
  const low = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    high[b] = feedZeroRegister(b << 8, zeros);
    low[b] = feedZeroRegister(b, zeros);
  }
  return { text: ascii, high, low, tail: feedZeroRegister(0, ascii) };
}

export function crc16Append(crc: number, constant: CrcConstant): number {
  return constant.high[crc >>> 8] ^ constant.low[crc & 0xff] ^ constant.tail;
}

const HEX = '0123456789ABCDEF';

/** Four upper-case hex digits, zero-padded (a CRC of 0x0283 is "0283", never "283"). */
export function crcToHex(crc: number): string {
  return HEX[(crc >>> 12) & 15] + HEX[(crc >>> 8) & 15] + HEX[(crc >>> 4) & 15] + HEX[crc & 15];
}

/** The CRC field value for everything before it; `body` must already end with "6304". */
export function crc16Hex(body: string): string {
  return crcToHex(crc16(body));
}
