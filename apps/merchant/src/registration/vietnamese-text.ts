/**
 * Text as people type it on a phone: stored in NFC (the same name typed on two keyboards must
 * compare equal), with runs of spaces collapsed and no invisible control or format characters
 * (they let two names that look the same differ, and break printed boards).
 */

// Cc (C0/C1 controls), Cf (format: zero-width, bidi overrides), line/paragraph separators.
// \p{Cs}: an unpaired UTF-16 surrogate (valid pairs never match in a `u` regex); it has no UTF-8 form.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const SPACES = /[\s\u00a0]+/g;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_OR_FORMAT.test(text);
}

/** NFC, trimmed, inner whitespace collapsed to one space. Control characters are left for the caller to reject. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(SPACES, ' ').trim();
}

// Folding to ASCII (account holder names) is `foldVietnamese` from `@cashless/vietqr`, the one copy.
