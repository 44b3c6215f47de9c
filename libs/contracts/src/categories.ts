/**
 * Business categories of the programme (API contract: a shop registers under one; merchant events
 * carry it; city reports break down by it). The labels are what forms and reports show.
 */
export const CATEGORIES = {
  food_drink: { vi: 'Ăn uống', en: 'Food & drink' },
  grocery: { vi: 'Tạp hoá', en: 'Grocery' },
  fashion: { vi: 'Thời trang', en: 'Fashion' },
  services: { vi: 'Dịch vụ', en: 'Services' },
  health_beauty: { vi: 'Sức khoẻ và làm đẹp', en: 'Health & beauty' },
  electronics: { vi: 'Điện tử', en: 'Electronics' },
  household: { vi: 'Đồ gia dụng', en: 'Household' },
  other: { vi: 'Khác', en: 'Other' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type Category = keyof typeof CATEGORIES;

export const CATEGORY_CODES = Object.keys(CATEGORIES) as [Category, ...Category[]];

export function isCategory(value: string): value is Category {
  return Object.hasOwn(CATEGORIES, value);
}

/** A category's label; an unknown code (from an older contract) is shown as itself. */
export function categoryLabel(code: string): { vi: string; en: string } {
  return isCategory(code) ? CATEGORIES[code] : { vi: code, en: code };
}
