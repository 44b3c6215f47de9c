import { FieldResult, accept, refuse } from './field-result';
import { hasControlCharacters, normalizeText } from './vietnamese-text';

export const SHOP_NAME_MAX = 120;
export const OWNER_NAME_MAX = 100;
export const HOUSE_NUMBER_MAX = 50;

function checkedText(raw: string, max: number): FieldResult<string> {
  if (hasControlCharacters(raw)) {
    return refuse('Không được chứa ký tự điều khiển hoặc ký tự ẩn', 'Must not contain control or invisible characters');
  }
  const text = normalizeText(raw);
  if (text.length === 0) return refuse('Không được để trống', 'Must not be empty');
  // Counted in NFC code points, which is what a person sees as characters.
  if ([...text].length > max) return refuse(`Tối đa ${max} ký tự`, `At most ${max} characters`);
  return accept(text);
}

/** A shop's name as printed on its board: any script, but at least one letter or digit. */
export function validateShopName(raw: string): FieldResult<string> {
  const result = checkedText(raw, SHOP_NAME_MAX);
  if (!result.ok) return result;
  if ([...result.value].length < 2) return refuse('Tối thiểu 2 ký tự', 'At least 2 characters');
  if (!/[\p{L}\p{N}]/u.test(result.value)) {
    return refuse('Tên cửa hàng phải có chữ hoặc số', 'The shop name must contain a letter or a digit');
  }
  return result;
}

/** A person's name: letters (with Vietnamese marks), spaces, and the few marks names use. */
export function validateOwnerName(raw: string): FieldResult<string> {
  const result = checkedText(raw, OWNER_NAME_MAX);
  if (!result.ok) return result;
  if ([...result.value].length < 2) return refuse('Tối thiểu 2 ký tự', 'At least 2 characters');
  if (!/^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u.test(result.value)) {
    return refuse(
      "Họ tên chỉ gồm chữ cái, khoảng trắng và các dấu . ' -",
      "A name may contain only letters, spaces and . ' -",
    );
  }
  return result;
}

/** House number as written on the address ("12A", "123/4", "Kiốt 5 chợ Đồng Xoài"). */
export function validateHouseNumber(raw: string): FieldResult<string> {
  const result = checkedText(raw, HOUSE_NUMBER_MAX);
  if (!result.ok) return result;
  if (!/[\p{N}\p{L}]/u.test(result.value)) {
    return refuse('Số nhà phải có chữ hoặc số', 'The house number must contain a letter or a digit');
  }
  return result;
}
