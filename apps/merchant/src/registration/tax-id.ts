import { FieldResult, accept, refuse } from './field-result';

/**
 * Which identifier a business registered with (reference/domain.md §2.5): a 10-digit tax code
 * (MST) of an enterprise or independent taxpayer; a 13-digit MST of a dependent unit (10 digits,
 * a dash, a 3-digit suffix); or, since 1 Jul 2025, the owner's 12-digit personal id number, which
 * household businesses use as their tax code (Circular 86/2024/TT-BTC).
 */
export type TaxIdKind = 'mst10' | 'mst13' | 'personal_id';

export interface TaxId {
  kind: TaxIdKind;
  /** Canonical form: `0100109106`, `0100109106-001`, or 12 digits. */
  value: string;
}

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/**
 * MST check digit (Circular 105/2020 structure; algorithm as in python-stdnum / stdnum-js):
 * 10 − (Σ dᵢ·wᵢ mod 11) over the first nine digits. When that is 10 (remainder 0) no check digit
 * exists, so such numbers are never issued.
 */
export function mstCheckDigit(firstNine: string): number | undefined {
  const sum = [...firstNine].reduce((acc, d, i) => acc + Number(d) * WEIGHTS[i], 0);
  const check = 10 - (sum % 11);
  return check === 10 ? undefined : check;
}

function checkMst10(digits: string): FieldResult<string> {
  if (digits.slice(0, 2) === '00') {
    return refuse('Mã số thuế không có mã tỉnh hợp lệ (00)', 'The tax code has no valid province part (00)');
  }
  if (digits.slice(2, 9) === '0000000') {
    return refuse('Mã số thuế không có số thứ tự hợp lệ', 'The tax code has no valid sequence number');
  }
  if (mstCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) {
    return refuse('Mã số thuế sai chữ số kiểm tra', 'The tax code check digit is wrong');
  }
  return accept(digits);
}

/**
 * Accepts a 10-digit MST, a 13-digit MST written `NNNNNNNNNN-NNN` (or without the dash, as some
 * forms print it), or a 12-digit personal id. Spaces are ignored.
 */
export function parseTaxId(raw: string): FieldResult<TaxId> {
  const compact = raw.trim().replace(/\s/g, '');
  if (/^\d{10}$/.test(compact)) {
    const mst = checkMst10(compact);
    return mst.ok ? accept({ kind: 'mst10', value: compact }) : mst;
  }
  const branch = /^(\d{10})-?(\d{3})$/.exec(compact);
  if (branch) {
    const mst = checkMst10(branch[1]);
    if (!mst.ok) return mst;
    if (branch[2] === '000') {
      return refuse('Mã đơn vị phụ thuộc phải từ 001 đến 999', 'The dependent-unit suffix must be 001 to 999');
    }
    return accept({ kind: 'mst13', value: `${branch[1]}-${branch[2]}` });
  }
  if (/^\d{12}$/.test(compact)) {
    // The first three digits are the province of birth registration (001–096); 000 is never issued.
    if (compact.startsWith('000')) {
      return refuse('Số định danh cá nhân không hợp lệ', 'The personal id number is not valid');
    }
    return accept({ kind: 'personal_id', value: compact });
  }
  return refuse(
    'Mã số thuế gồm 10 chữ số, 13 chữ số (dạng 0100109106-001) hoặc số định danh cá nhân 12 chữ số',
    'A tax id is a 10-digit or 13-digit tax code (e.g. 0100109106-001) or a 12-digit personal id number',
  );
}
