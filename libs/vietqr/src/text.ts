import { isCanonicalText } from './ascii';

/**
 * Vietnamese text for VietQR fields. EMVCo/NAPAS text fields (59, 60, 62/xx) are ANS: ASCII
 * only. Bank apps reject or garble diacritics, so text is folded to ASCII before it is encoded.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const D_STROKE = /[đĐðÐ]/g;
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Removes Vietnamese diacritics: "Phở Hùng Vương, Đồng Xoài" → "Pho Hung Vuong, Dong Xoai".
 * `đ/Đ` (which Unicode does not decompose) become `d/D`. Other characters are kept.
 */
export function foldVietnamese(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(D_STROKE, (c) => (c === 'đ' || c === 'ð' ? 'd' : 'D'))
    .normalize('NFC');
}

const NOT_TEXT = /[^A-Za-z0-9]+/g;

/**
 * Text safe for every bank app: folded to ASCII, letters, digits and single spaces only (other
 * characters become spaces), cut to `maxLength` at a word boundary when possible. Empty when
 * nothing is left.
 */
export function toQrText(text: string, maxLength = Infinity): string {
  const out = isCanonicalText(text) ? text : foldVietnamese(text).replace(NOT_TEXT, ' ').trim();
  return cutAtWord(out, maxLength);
}

/** Cuts canonical text to `maxLength`, at the last word boundary when there is one. */
export function cutAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  if (text[maxLength] === ' ') return text.slice(0, maxLength);
  const space = text.lastIndexOf(' ', maxLength);
  return space > 0 ? text.slice(0, space) : text.slice(0, maxLength);
}

/** True when the text is ASCII letters, digits and single inner spaces, i.e. `toQrText(text) === text`. */
export function isQrText(text: string): boolean {
  return isCanonicalText(text);
}
