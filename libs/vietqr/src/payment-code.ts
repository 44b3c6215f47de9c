import { isUpperAlphanumeric } from './ascii';
import { foldVietnamese } from './text';

/**
 * Payment codes: the short identifier put first in the transfer content (62/08) of a checkout
 * QR, then searched for in the content that the bank feed reports. Banks change that content:
 * they upper- or lower-case it, strip diacritics and punctuation, add their own prefixes
 * ("MBVCB.3278907687.", "IBFT ", "QR - ") and suffixes ("FT24123…", "Trace 612345"), and some
 * remove spaces entirely. The code therefore stays within the strictest limit seen
 * (vietqr.vn: 19 characters) and uses only upper-case letters and digits.
 */
export const PAYMENT_CODE_MAX_LENGTH = 19;

const NOT_ALNUM = /[^A-Z0-9]+/g;

export function isPaymentCode(code: string): boolean {
  return isUpperAlphanumeric(code, 1, PAYMENT_CODE_MAX_LENGTH);
}

/** What a person or a bank may have done to a code, undone: "se-123 456" → "SE123456". */
export function normalizePaymentCode(text: string): string {
  return foldVietnamese(text).toUpperCase().replace(NOT_ALNUM, '');
}

/**
 * Transfer content reduced to comparable tokens: ASCII, upper case, every run of other
 * characters a single space. "Thanh toán QR se123456.FT24" → "THANH TOAN QR SE123456 FT24".
 */
export function normalizeTransferContent(content: string): string {
  return foldVietnamese(content).toUpperCase().replace(NOT_ALNUM, ' ').trim();
}

/**
 * How a code was found in transfer content, from most to least certain:
 * - `token`: a whole word of the normalised content (`"IBFT SE123456 FT24…"`);
 * - `split`: adjacent words that join into the code (`"SE 123456"`, `"SE-123456"`);
 * - `embedded`: inside a word, glued to letters a bank added (`"NGUYENVANASE123456"`), but
 *   never continuing a digit run (`"SE1234567"` does not contain `SE123456`).
 */
export type PaymentCodeMatchKind = 'token' | 'split' | 'embedded';

export interface PaymentCodeMatch {
  readonly kind: PaymentCodeMatchKind;
  /** Offset in the normalised content. */
  readonly index: number;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Finds a payment code in bank transfer content; null when it is not there. */
export function matchPaymentCode(content: string, code: string): PaymentCodeMatch | null {
  const wanted = normalizePaymentCode(code);
  if (wanted.length === 0) return null;
  const normalised = normalizeTransferContent(content);
  if (normalised.length === 0) return null;
  const tokens = normalised.split(' ');
  const offsets: number[] = [];
  let offset = 0;
  for (const token of tokens) {
    offsets.push(offset);
    offset += token.length + 1;
  }

  for (let i = 0; i < tokens.length; i++) if (tokens[i] === wanted) return { kind: 'token', index: offsets[i] };

  for (let i = 0; i < tokens.length; i++) {
    let joined = tokens[i];
    for (let j = i + 1; j < tokens.length && joined.length < wanted.length; j++) {
      joined += tokens[j];
      if (joined === wanted) return { kind: 'split', index: offsets[i] };
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    for (let at = token.indexOf(wanted); at >= 0; at = token.indexOf(wanted, at + 1)) {
      const before = token[at - 1];
      const after = token[at + wanted.length];
      if (isDigit(wanted[0]) && isDigit(before)) continue;
      if (isDigit(wanted[wanted.length - 1]) && isDigit(after)) continue;
      return { kind: 'embedded', index: offsets[i] + at };
    }
  }
  return null;
}

export interface PaymentCodePattern {
  /** Upper-case letters that start every code, e.g. "CS". */
  readonly prefix: string;
  /** Total length of a code, prefix included (≤ 19). */
  readonly length: number;
}

/**
 * Every candidate code in transfer content for codes of a fixed shape (prefix + fixed length):
 * whole words first, then codes that a bank split with spaces or punctuation, or glued to its
 * own text. Look each candidate up; do not trust one blindly.
 */
export function extractPaymentCodes(content: string, pattern: PaymentCodePattern): string[] {
  const prefix = normalizePaymentCode(pattern.prefix);
  if (prefix.length === 0 || pattern.length <= prefix.length || pattern.length > PAYMENT_CODE_MAX_LENGTH) {
    throw new RangeError('a payment code pattern needs a prefix and a total length of more than the prefix, up to 19');
  }
  const found: string[] = [];
  const add = (candidate: string): void => {
    if (!found.includes(candidate)) found.push(candidate);
  };
  const tokens = normalizeTransferContent(content).split(' ');
  for (const token of tokens) if (token.length === pattern.length && token.startsWith(prefix)) add(token);
  const compact = tokens.join('');
  for (let at = compact.indexOf(prefix); at >= 0; at = compact.indexOf(prefix, at + 1)) {
    const candidate = compact.slice(at, at + pattern.length);
    if (candidate.length === pattern.length) add(candidate);
  }
  return found;
}
