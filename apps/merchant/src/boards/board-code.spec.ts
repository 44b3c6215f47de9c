import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  BOARD_CODE_ALPHABET,
  formatBoardCode,
  generateBoardCode,
  maskAccountNumber,
  normalizeBoardCode,
} from './board-code';

describe('board codes', () => {
  it('are 8 characters of Crockford base32 (no I, L, O, U) that check themselves', () => {
    for (let i = 0; i < 2000; i++) {
      const code = generateBoardCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(normalizeBoardCode(code)).toBe(code);
    }
  });

  it('are random: 2,000 draws give 2,000 codes', () => {
    expect(new Set(Array.from({ length: 2000 }, () => generateBoardCode())).size).toBe(2000);
  });

  it('come from the injected random source (every 5-bit value maps to one symbol)', () => {
    expect(generateBoardCode(() => new Uint8Array(7))).toBe('00000000');
    expect(generateBoardCode(() => Uint8Array.from([31, 31, 31, 31, 31, 31, 31]))).toMatch(/^ZZZZZZZ/);
    expect(generateBoardCode(() => Uint8Array.from([32 + 1, 0, 0, 0, 0, 0, 0]))).toMatch(/^1000000/);
  });

  it('read what people type: case, spaces, hyphens, O for 0 and I/L for 1', () => {
    const code = generateBoardCode(() => Uint8Array.from([0, 1, 2, 3, 4, 5, 6]));
    expect(code.slice(0, 7)).toBe('0123456');
    const typed = ` ${code.slice(0, 4).toLowerCase().replace('0', 'o').replace('1', 'l')} - ${code.slice(4)} `;
    expect(normalizeBoardCode(typed)).toBe(code);
    expect(normalizeBoardCode(formatBoardCode(code))).toBe(code);
    expect(formatBoardCode('7K2M9Q4T')).toBe('7K2M-9Q4T');
  });

  it('refuse every single-character mistake, wrong lengths and foreign characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 31 }), (position, shift) => {
        const code = generateBoardCode();
        const wrong = BOARD_CODE_ALPHABET[(BOARD_CODE_ALPHABET.indexOf(code[position]) + shift) % 32];
        const typo = code.slice(0, position) + wrong + code.slice(position + 1);
        expect(normalizeBoardCode(typo)).toBeNull();
      }),
      { numRuns: 2000 },
    );
    const code = generateBoardCode();
    for (const bad of [
      '',
      code.slice(0, 7),
      `${code}0`,
      `${code.slice(0, 7)}U`,
      `${code.slice(0, 7)}*`,
      'x'.repeat(5000),
    ]) {
      expect(normalizeBoardCode(bad)).toBeNull();
    }
  });
});

describe('masking an account number', () => {
  it('shows the last four digits behind a fixed-width mask', () => {
    expect(maskAccountNumber('0071001234567')).toBe('****4567');
    expect(maskAccountNumber('246813')).toBe('****6813');
    expect(maskAccountNumber('1234567890123456789')).not.toContain('12345');
  });
});
