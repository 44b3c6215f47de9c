/**
 * Character-class checks as plain loops: on the hot paths of encoding and decoding they cost a
 * few nanoseconds where a regular expression costs tens.
 */

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** Only digits, length in [min, max]. */
export function isDigits(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Only ASCII letters and digits, length in [min, max]. */
export function isAlphanumeric(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !isUpper(c) && !isLower(c)) return false;
  }
  return true;
}

/** Only upper-case ASCII letters and digits, length in [min, max]. */
export function isUpperAlphanumeric(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !isUpper(c)) return false;
  }
  return true;
}

/** Letters, digits and `. _ - /`, length in [min, max] (bill numbers, reference labels). */
export function isIdentifier(s: string, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c) && !isUpper(c) && !isLower(c) && c !== 46 && c !== 95 && c !== 45 && c !== 47) return false;
  }
  return true;
}

/** Words of ASCII letters and digits separated by single spaces, no space at either end. */
export function isCanonicalText(s: string): boolean {
  if (s.length === 0) return false;
  let previousSpace = true; // so a leading space fails
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if (isDigit(c) || isUpper(c) || isLower(c)) previousSpace = false;
    else return false;
  }
  return !previousSpace;
}
