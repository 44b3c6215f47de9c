import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isAlphanumeric, isCanonicalText, isDigits, isIdentifier, isUpperAlphanumeric } from './ascii';

/** The loops replace regular expressions on hot paths; they must accept exactly the same strings. */
describe('character-class loops', () => {
  const text = fc.string({ unit: fc.constantFrom(...'aZ09 ._-/!é\t'.split('')), maxLength: 30 });

  it('match their regular-expression definitions on any string', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 30 }), (s, min, max) => {
        const len = s.length >= min && s.length <= max;
        expect(isDigits(s, min, max)).toBe(len && /^\d*$/.test(s));
        expect(isAlphanumeric(s, min, max)).toBe(len && /^[A-Za-z0-9]*$/.test(s));
        expect(isUpperAlphanumeric(s, min, max)).toBe(len && /^[A-Z0-9]*$/.test(s));
        expect(isIdentifier(s, min, max)).toBe(len && /^[A-Za-z0-9._/-]*$/.test(s));
        expect(isCanonicalText(s)).toBe(/^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/.test(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('reject the edge cases of canonical text', () => {
    for (const bad of ['', ' ', ' a', 'a ', 'a  b', 'a\tb', 'é']) expect(isCanonicalText(bad)).toBe(false);
    for (const good of ['a', 'a b', 'Pho bo 2']) expect(isCanonicalText(good)).toBe(true);
  });
});
