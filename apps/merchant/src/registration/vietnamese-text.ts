/**
 * Text as people type it on a phone: stored in NFC (the same name typed on two keyboards must
 * compare equal), with runs of spaces collapsed and no invisible control or format characters
 * (they let two names that look the same differ, and break printed boards).
 */

// Cc (C0/C1 controls), Cf (format: zero-width, bidi overrides), line/paragraph separators.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const SPACES = /[\s\u00a0]+/g;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_FORMAT.test(text);
}

/** NFC, trimmed, inner whitespace collapsed to one space. Control characters are left for the caller to reject. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(SPACES, ' ').trim();
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Removes Vietnamese diacritics ("Nguyễn Văn Đức" → "Nguyen Van Duc"). `đ/Đ` do not decompose
 * in Unicode, so they are mapped explicitly; `Ð` (U+00D0) is the common mistype of `Đ`.
 * (libs/vietqr has the same folding for QR text; this copy goes when that lib lands.)
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đð]/g, 'd')
    .replace(/[ĐÐ]/g, 'D')
    .normalize('NFC');
}
