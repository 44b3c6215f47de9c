import { describe, expect, it } from '@jest/globals';
import { CATEGORIES, CATEGORY_CODES, categoryLabel, isCategory } from './categories';

describe('business categories', () => {
  it('lists every category with a Vietnamese and an English label', () => {
    expect(CATEGORY_CODES).toEqual(Object.keys(CATEGORIES));
    for (const code of CATEGORY_CODES) {
      expect(categoryLabel(code).vi.length).toBeGreaterThan(0);
      expect(categoryLabel(code).en.length).toBeGreaterThan(0);
    }
    expect(categoryLabel('food_drink')).toEqual({ vi: 'Ăn uống', en: 'Food & drink' });
  });

  it('knows only its own codes, not what every object has', () => {
    expect(isCategory('grocery')).toBe(true);
    for (const code of ['toString', '__proto__', 'constructor', 'Grocery', '']) expect(isCategory(code)).toBe(false);
  });

  it('shows a code it does not know as itself', () => {
    expect(categoryLabel('florist')).toEqual({ vi: 'florist', en: 'florist' });
    expect(categoryLabel('toString')).toEqual({ vi: 'toString', en: 'toString' });
  });
});
