import { randomBytes } from 'node:crypto';
import { isPaymentCode } from '@cashless/vietqr';

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped is not mistaken. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAYMENT_CODE_PREFIX = 'CS';
const RANDOM_CHARS = 8;

/**
 * `CS` + 8 Crockford characters (40 random bits): upper-case alphanumeric, 10 characters, well
 * under VietQR's 19, written first in the transfer content. Uniqueness is enforced by the
 * database (unique index); a collision is retried with a new code.
 */
export function generatePaymentCode(bytes: Buffer = randomBytes(5)): string {
  if (bytes.length !== 5) throw new Error('a payment code needs 5 random bytes');
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = '';
  for (let i = RANDOM_CHARS - 1; i >= 0; i--) out += CROCKFORD[Number((value >> BigInt(i * 5)) & 31n)];
  return PAYMENT_CODE_PREFIX + out;
}

export function isOurPaymentCode(code: string): boolean {
  return isPaymentCode(code) && /^CS[0-9A-HJKMNP-TV-Z]{8}$/.test(code);
}
