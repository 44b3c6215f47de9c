import { randomBytes } from 'node:crypto';

/**
 * Board codes: 8 characters of Crockford's base32 (`0–9 A–Z` without `I L O U`), printed on the
 * board as `XXXX-XXXX`, one per payout account and never changed. Seven random characters
 * (35 bits: collisions are checked at creation anyway) and a check character, so a shopper who
 * mistypes one character is told "not a board code" instead of "unknown board": the check is
 * a weighted sum with odd weights modulo 32, which catches every single substitution (an odd
 * weight is invertible mod 32) and most adjacent transpositions.
 *
 * Pure: no Nest, no database.
 */
export const BOARD_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const BOARD_CODE_LENGTH = 8;
const WEIGHTS = [1, 3, 5, 7, 9, 11, 13];

function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += WEIGHTS[i] * BOARD_CODE_ALPHABET.indexOf(body[i]);
  return BOARD_CODE_ALPHABET[sum % 32];
}

/** A new random board code (canonical form, no hyphen). `random` is injectable for tests. */
export function generateBoardCode(random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(7);
  let body = '';
  for (let i = 0; i < 7; i++) body += BOARD_CODE_ALPHABET[bytes[i] & 31];
  return body + checkCharacter(body);
}

/**
 * What people type or scan → the canonical code, or null when it cannot be one: case, spaces
 * and hyphens are ignored, and Crockford's look-alikes are read as digits (`O → 0`, `I/L → 1`).
 */
export function normalizeBoardCode(raw: string): string | null {
  if (raw.length > 32) return null;
  const code = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== BOARD_CODE_LENGTH) return null;
  for (const c of code) if (!BOARD_CODE_ALPHABET.includes(c)) return null;
  return checkCharacter(code.slice(0, 7)) === code[7] ? code : null;
}

/** `7K2M9Q4T` → `7K2M-9Q4T`, as printed. */
export function formatBoardCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The last four digits, the rest hidden behind a fixed-width mask (so the length does not
 * leak either): `0071001234567` → `****4567`. Boards and public answers show only this.
 */
export function maskAccountNumber(accountNumber: string): string {
  return `****${accountNumber.slice(-4)}`;
}
