import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { vietnameseTextArb } from '../test/arbitraries';
import { cutAtWord, foldVietnamese, isQrText, toQrText } from './text';

describe('Vietnamese text', () => {
  it('folds every Vietnamese vowel and tone to ASCII, and đ/Đ to d/D', () => {
    expect(foldVietnamese('Phở Hùng Vương, Đồng Xoài')).toBe('Pho Hung Vuong, Dong Xoai');
    expect(foldVietnamese('đường Lê Duẩn')).toBe('duong Le Duan');
    expect(foldVietnamese('ĐẮK LẮK')).toBe('DAK LAK');
    expect(foldVietnamese('ẤẦẨẪẬắằẳẵặ ưứừửữự ơớờởỡợ ỳýỷỹỵ')).toBe('AAAAAaaaaa uuuuuu oooooo yyyyy');
  });

  it('folds decomposed input (NFD, as some keyboards and macOS file names produce) too', () => {
    expect(foldVietnamese('Phở'.normalize('NFD'))).toBe('Pho');
  });

  it('leaves ASCII untouched and never adds characters', () => {
    fc.assert(
      fc.property(vietnameseTextArb, (text) => {
        const folded = foldVietnamese(text);
        expect(folded).toMatch(/^[\x20-\x7e]*$/);
        expect(folded).toHaveLength(text.normalize('NFC').length);
        expect(foldVietnamese(folded)).toBe(folded);
      }),
    );
  });

  it('reduces text to letters, digits and single spaces within a limit, cutting at a word', () => {
    expect(toQrText('  Cà phê   sữa đá!! (size L) ')).toBe('Ca phe sua da size L');
    expect(toQrText('Cà phê sữa đá size L', 12)).toBe('Ca phe sua');
    expect(toQrText('ABCDEFGHIJKLMNOP', 5)).toBe('ABCDE');
    expect(toQrText('%%%')).toBe('');
    expect(cutAtWord('ab cd', 5)).toBe('ab cd');
    expect(cutAtWord('ab cd ef', 5)).toBe('ab cd');
  });

  it('always yields canonical text no longer than the limit', () => {
    fc.assert(
      fc.property(vietnameseTextArb, fc.integer({ min: 1, max: 30 }), (text, max) => {
        const out = toQrText(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (out !== '') expect(isQrText(out)).toBe(true);
        expect(toQrText(out, max)).toBe(out);
      }),
    );
  });
});
