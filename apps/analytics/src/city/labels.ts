import type { LocalizedText } from '@cashless/observability';
import { findBankByBin } from '@cashless/vietqr';

/** What reports call each business category (the categories of the merchant registration contract). */
export const CATEGORY_LABELS: Record<string, LocalizedText> = {
  food_drink: { vi: 'Ăn uống', en: 'Food & drink' },
  grocery: { vi: 'Tạp hoá', en: 'Grocery' },
  fashion: { vi: 'Thời trang', en: 'Fashion' },
  services: { vi: 'Dịch vụ', en: 'Services' },
  health_beauty: { vi: 'Sức khoẻ và làm đẹp', en: 'Health & beauty' },
  electronics: { vi: 'Điện tử', en: 'Electronics' },
  household: { vi: 'Đồ gia dụng', en: 'Household' },
  other: { vi: 'Khác', en: 'Other' },
};

export function categoryLabel(code: string): LocalizedText {
  return CATEGORY_LABELS[code] ?? { vi: code, en: code };
}

/** A bank by its BIN as people know it (short name), or the BIN itself when the directory lacks it. */
export function bankLabel(bin: string): LocalizedText {
  const bank = findBankByBin(bin);
  const name = bank?.shortName ?? bank?.name ?? bin;
  return { vi: name, en: name };
}
