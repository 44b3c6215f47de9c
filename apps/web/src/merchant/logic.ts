/**
 * The shop owner's page logic that needs no browser: bank search, form checks mirroring the
 * API's, the checkout countdown, what the speaker says, and today's total. Unit-tested directly.
 */
import { BANKS } from '../../../../libs/vietqr/src/data/banks';
import { foldVietnamese } from '../../../../libs/vietqr/src/text';
import { formatVnd } from '../shared/format';
import type { Localized } from '../shared/i18n';

export interface BankChoice {
  bin: string;
  code: string | null;
  shortName: string | null;
  name: string;
}

const searchKey = (text: string) =>
  foldVietnamese(text)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The NAPAS directory the API validates `bankBin` against, best-known banks first. */
export const BANK_DIRECTORY: readonly BankChoice[] = [...BANKS]
  .filter((bank) => bank.napasTransferSupported !== false)
  .map(({ bin, code, shortName, name }) => ({ bin, code, shortName, name }))
  .sort((a, b) => (a.shortName ?? a.name).localeCompare(b.shortName ?? b.name, 'vi'));

/** Banks whose short name, code, full name or BIN contains what was typed (case and accents ignored). */
export function searchBanks(query: string, banks: readonly BankChoice[] = BANK_DIRECTORY): BankChoice[] {
  const wanted = searchKey(query);
  if (!wanted) return [...banks];
  return banks.filter((bank) =>
    [bank.shortName, bank.code, bank.name, bank.bin].some((field) => field && searchKey(field).includes(wanted)),
  );
}

export function bankLabel(bank: BankChoice): string {
  return `${bank.shortName ?? bank.code ?? bank.bin} — ${bank.name}`;
}

export interface RegistrationDraft {
  shopName: string;
  ownerName: string;
  phone: string;
  taxId: string;
  category: string;
  streetId: string;
  houseNumber: string;
  bankBin: string;
  accountNumber: string;
  accountName: string;
  password: string;
}

export type FieldErrors = Partial<Record<keyof RegistrationDraft, Localized>>;

const required: Localized = { vi: 'Bắt buộc', en: 'Required' };

/**
 * The checks the page can make before sending, worded like the API's; the API stays the judge
 * (tax id check digit, duplicates) and its field errors are shown the same way.
 */
export function checkRegistration(draft: RegistrationDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of ['shopName', 'ownerName', 'category', 'streetId', 'houseNumber', 'accountName'] as const) {
    if (!draft[field].trim()) errors[field] = required;
  }
  const phone = draft.phone.replace(/[\s.-]/g, '');
  if (!/^(0|\+?84)[35789]\d{8}$/.test(phone)) {
    errors.phone = {
      vi: 'Số di động Việt Nam gồm 10 chữ số, ví dụ 0912345678',
      en: 'A Vietnamese mobile number: 10 digits, e.g. 0912345678',
    };
  }
  const taxId = draft.taxId.trim();
  if (!/^\d{10}(-\d{3})?$/.test(taxId) && !/^\d{12}$/.test(taxId)) {
    errors.taxId = {
      vi: 'Mã số thuế 10 hoặc 13 số (0100109106-001), hoặc số CCCD 12 số',
      en: 'Tax id of 10 or 13 digits (0100109106-001), or a 12-digit citizen id',
    };
  }
  if (!draft.bankBin) errors.bankBin = { vi: 'Chọn ngân hàng', en: 'Choose a bank' };
  if (!/^\d{6,19}$/.test(draft.accountNumber.replace(/\s/g, ''))) {
    errors.accountNumber = { vi: 'Số tài khoản gồm 6–19 chữ số', en: 'Account number: 6–19 digits' };
  }
  if (draft.password.length < 10) {
    errors.password = { vi: 'Mật khẩu ít nhất 10 ký tự', en: 'Password: at least 10 characters' };
  }
  return errors;
}

/** The API's field paths (`payoutAccounts[0].accountNumber`) → the form's fields. */
export function formField(apiField: string): keyof RegistrationDraft | undefined {
  const account = /^payoutAccounts(\[\d+\])?\.?(\w+)?$/.exec(apiField);
  if (account) {
    const name = account[2];
    return name === 'bankBin' || name === 'accountNumber' || name === 'accountName' ? name : 'accountNumber';
  }
  const known: (keyof RegistrationDraft)[] = [
    'shopName',
    'ownerName',
    'phone',
    'taxId',
    'category',
    'streetId',
    'houseNumber',
    'password',
  ];
  return known.find((field) => field === apiField);
}

/** Time left until `expiresAt` as `m:ss` (never negative), and whether it is over. */
export function countdown(
  expiresAt: string,
  now: number = Date.now(),
): { text: string; over: boolean; seconds: number } {
  const seconds = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return { text, over: seconds === 0, seconds };
}

/** What the speaker says for a payment: the service's sentence, else "Đã nhận 50.000 đồng". */
export function spokenText(notice: { amount: number; announcement?: string | null }): string {
  if (notice.announcement) return notice.announcement;
  return `Đã nhận ${formatVnd(notice.amount).replace(/\s*₫$/, '')} đồng`;
}

/**
 * An amount typed the Vietnamese way ("50.000", "50 000", "50000") → whole đồng, or null. A comma
 * is the Vietnamese decimal mark: "12,5" is refused rather than read as 125.
 */
export function parseAmount(typed: string): number | null {
  const digits = typed.replace(/[\s.₫đ]/gi, '');
  if (!/^\d{1,9}$/.test(digits)) return null;
  const amount = Number(digits);
  return amount >= 1000 && amount < 500_000_000 ? amount : null;
}

/**
 * Today's takings: the ledger's statement for today plus live payments it does not hold yet
 * (the ledger lags the feed by a moment; a payment is counted once, by id).
 */
export function todayTotal(
  statement: { net: number; entries: { paymentId: string | null }[] } | null,
  live: { paymentId: string; amount: number }[],
): number {
  const known = new Set(statement?.entries.map((entry) => entry.paymentId) ?? []);
  return (statement?.net ?? 0) + live.filter((p) => !known.has(p.paymentId)).reduce((sum, p) => sum + p.amount, 0);
}

/** A fresh Idempotency-Key; `crypto.randomUUID` needs a secure context, getRandomValues does not. */
export function idempotencyKey(random: (bytes: Uint8Array) => Uint8Array): string {
  const hex = [...random(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `web-${hex}`;
}

/**
 * A registration that went through but whose follow-up steps (web password, login) did not all
 * finish: kept in the tab's session so a retry resumes at the failed step instead of registering
 * the shop a second time.
 */
export interface SavedRegistration {
  id: string;
  apiKey: string;
  shopName: string;
  passwordSet: boolean;
}

export const SAVED_REGISTRATION_KEY = 'cashless.pendingRegistration';

/** The saved registration in `raw` (sessionStorage text), or null when absent or not one of ours. */
export function parseSavedRegistration(raw: string | null): SavedRegistration | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SavedRegistration>;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (
      typeof value.id === 'string' &&
      uuid.test(value.id) &&
      typeof value.apiKey === 'string' &&
      value.apiKey.length > 0 &&
      typeof value.shopName === 'string' &&
      typeof value.passwordSet === 'boolean'
    ) {
      return { id: value.id, apiKey: value.apiKey, shopName: value.shopName, passwordSet: value.passwordSet };
    }
  } catch {
    // not JSON: treated as absent
  }
  return null;
}

export type RegistrationStep = 'register' | 'password' | 'login';

/** The first step still to do: all three without a saved registration, else from where it stopped. */
export function registrationStep(saved: SavedRegistration | null): RegistrationStep {
  if (!saved) return 'register';
  return saved.passwordSet ? 'login' : 'password';
}

/** The form checks that still apply when resuming: only the password is sent again. */
export function checkResume(draft: RegistrationDraft): FieldErrors {
  const { password } = checkRegistration(draft);
  return password ? { password } : {};
}
