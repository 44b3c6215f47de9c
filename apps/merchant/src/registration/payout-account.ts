import { findBankByBin, foldVietnamese } from '@cashless/vietqr';
import { FieldResult, accept, refuse } from './field-result';
import { hasControlCharacters } from './vietnamese-text';

export interface PayoutAccount {
  bankBin: string;
  accountNumber: string;
  accountName: string;
}

export function validateBankBin(raw: string): FieldResult<string> {
  const bin = raw.trim();
  if (!/^\d{6}$/.test(bin)) return refuse('Mã BIN ngân hàng gồm 6 chữ số', 'A bank BIN has 6 digits');
  if (!findBankByBin(bin)) {
    return refuse('Ngân hàng không có trong danh bạ NAPAS', 'The bank is not in the NAPAS directory');
  }
  return accept(bin);
}

/**
 * Digits only, 6–19: VietQR carries up to 19 characters (NAPAS field 38/01/01) and vietqr.io
 * accepts 6–19 digits; spaces people type between groups are dropped.
 */
export function validateAccountNumber(raw: string): FieldResult<string> {
  const digits = raw.trim().replace(/[\s.-]/g, '');
  if (!/^\d{6,19}$/.test(digits)) {
    return refuse('Số tài khoản gồm 6 đến 19 chữ số', 'An account number has 6 to 19 digits');
  }
  return accept(digits);
}

export const ACCOUNT_NAME_MAX = 50;

/**
 * The account holder's name as the bank shows it in its app: ASCII upper case without
 * diacritics ("Nguyễn Văn Đức" → "NGUYEN VAN DUC"), so a shopper can compare it with the name
 * their app displays. Letters, digits, spaces and . , - & ' ( ) / (company names) only.
 */
export function normalizeAccountName(raw: string): FieldResult<string> {
  if (hasControlCharacters(raw)) {
    return refuse('Không được chứa ký tự điều khiển hoặc ký tự ẩn', 'Must not contain control or invisible characters');
  }
  const name = foldVietnamese(raw.normalize('NFC')).toUpperCase().replace(/\s+/g, ' ').trim();
  if (name.length === 0) return refuse('Không được để trống', 'Must not be empty');
  if (name.length > ACCOUNT_NAME_MAX) {
    return refuse(`Tối đa ${ACCOUNT_NAME_MAX} ký tự`, `At most ${ACCOUNT_NAME_MAX} characters`);
  }
  if (!/^[A-Z0-9 .,&'()/-]+$/.test(name) || !/[A-Z]/.test(name)) {
    return refuse(
      'Tên chủ tài khoản chỉ gồm chữ cái không dấu, chữ số và khoảng trắng, như ngân hàng hiển thị',
      'The account holder name may contain only unaccented letters, digits and spaces, as the bank shows it',
    );
  }
  return accept(name);
}

/** Two entries for the same bank account within one registration. */
export function accountKey(account: Pick<PayoutAccount, 'bankBin' | 'accountNumber'>): string {
  return `${account.bankBin}:${account.accountNumber}`;
}
