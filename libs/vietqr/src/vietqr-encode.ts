import { isAlphanumeric, isDigits, isIdentifier } from './ascii';
import { findBankByBin } from './banks';
import { crc16Append, crc16Update, crcConstant, crcToHex } from './crc16';
import { isPaymentCode } from './payment-code';
import { cutAtWord, foldVietnamese, toQrText } from './text';
import { NAPAS_AMOUNT_LIMIT, NAPAS_GUID, SERVICE_CODE_ACCOUNT, SERVICE_CODE_CARD } from './napas';
import type { Initiation, TransferService } from './vietqr-decode';

/** Limits banks accept (NAPAS/EMVCo, vietqr.io, vietqr.vn). */
export const VIETQR_LIMITS = {
  account: 19,
  purpose: 25,
  billNumber: 25,
  referenceLabel: 25,
  merchantName: 25,
  merchantCity: 15,
  paymentCode: 19,
} as const;

export interface VietQrInput {
  /** 6-digit BIN; must be in the bank directory. Use `resolveBank` for codes and names. */
  readonly bankBin: string;
  /** Account number (letters allowed: virtual accounts, wallets) or, with `service: 'card'`, card number. */
  readonly account: string;
  /** `account` (QRIBFTTA, default) or `card` (QRIBFTTC). */
  readonly service?: TransferService;
  /**
   * `static` (01 = 11, a board reused for many payments, no amount) or `dynamic` (01 = 12, one
   * payment). Default: dynamic when an amount is given, else static.
   */
  readonly initiation?: Initiation;
  /** Whole đồng, 0 < amount < 500,000,000 (a safe integer when a number). */
  readonly amount?: number | bigint;
  /** Upper-case letters and digits, ≤ 19; written first in the purpose so matching survives truncation. */
  readonly paymentCode?: string;
  /** Free text after the payment code; folded to ASCII, cut so the purpose stays ≤ 25. */
  readonly purpose?: string;
  /** 62/01, ≤ 25 of `A–Z a–z 0–9 . _ - /` after folding; rejected, not cut, when longer. */
  readonly billNumber?: string;
  /** 62/05, same rules as the bill number. */
  readonly referenceLabel?: string;
  /** 59, folded and cut to 25. */
  readonly merchantName?: string;
  /** 60, folded and cut to 15. */
  readonly merchantCity?: string;
  /** 52, ISO 18245 merchant category code, 4 digits. */
  readonly mcc?: string;
}

export type VietQrInputErrorCode =
  | 'BANK_UNKNOWN'
  | 'ACCOUNT_INVALID'
  | 'SERVICE_INVALID'
  | 'AMOUNT_INVALID'
  | 'INITIATION_INVALID'
  | 'PAYMENT_CODE_INVALID'
  | 'BILL_NUMBER_INVALID'
  | 'REFERENCE_LABEL_INVALID'
  | 'MCC_INVALID';

export class VietQrInputError extends Error {
  constructor(
    readonly code: VietQrInputErrorCode,
    readonly field: keyof VietQrInput,
    message: string,
  ) {
    super(message);
    this.name = 'VietQrInputError';
  }
}

const LENGTH: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** "ID + length" headers, e.g. AMOUNT_TAG[5] = "5405". */
const tags = (id: string): string[] => LENGTH.map((length) => id + length);
const AMOUNT_TAG = tags('54');
const NAME_TAG = tags('59');
const CITY_TAG = tags('60');
const ADDITIONAL_TAG = tags('62');
const BILL_TAG = tags('01');
const REFERENCE_TAG = tags('05');
const PURPOSE_TAG = tags('08');

// The constant pieces of every payload, each appended to the CRC in two lookups.
const PREFIX_STATIC = crcConstant('00020101021138');
const PREFIX_DYNAMIC = crcConstant('00020101021238');
const GUID = crcConstant(`0010${NAPAS_GUID}01`);
const BIN_TAG = crcConstant('0006');
const ACCOUNT_TAG = crcConstant('01');
const SERVICE_ACCOUNT = crcConstant(`0208${SERVICE_CODE_ACCOUNT}`);
const SERVICE_CARD = crcConstant(`0208${SERVICE_CODE_CARD}`);
const MCC_TAG = crcConstant('5204');
const CURRENCY = crcConstant('5303704');
const COUNTRY = crcConstant('5802VN');
const CRC_TAG = crcConstant('6304');

function formatAmount(amount: number | bigint): string {
  if (typeof amount === 'bigint') {
    if (amount > 0n && amount < BigInt(NAPAS_AMOUNT_LIMIT)) return amount.toString();
  } else if (Number.isSafeInteger(amount) && amount > 0 && amount < NAPAS_AMOUNT_LIMIT) {
    return String(amount);
  }
  throw new VietQrInputError(
    'AMOUNT_INVALID',
    'amount',
    `amount must be whole đồng above 0 and below ${NAPAS_AMOUNT_LIMIT.toLocaleString('en-US')}, got ${String(amount)}`,
  );
}

function identifier(text: string, field: 'billNumber' | 'referenceLabel'): string {
  const folded = isIdentifier(text, 1, 25) ? text : foldVietnamese(text).trim();
  if (!isIdentifier(folded, 1, 25)) {
    throw new VietQrInputError(
      field === 'billNumber' ? 'BILL_NUMBER_INVALID' : 'REFERENCE_LABEL_INVALID',
      field,
      `${field === 'billNumber' ? 'bill number' : 'reference label'} must be 1–25 of A–Z a–z 0–9 . _ - /, got "${text}"`,
    );
  }
  return folded;
}

/** The transfer content (62/08): payment code first, then folded text, ≤ 25 characters. */
export function composePurpose(paymentCode: string | undefined, text: string | undefined): string {
  const rest = text === undefined ? '' : toQrText(text);
  const purpose =
    paymentCode === undefined || paymentCode === '' ? rest : rest === '' ? paymentCode : `${paymentCode} ${rest}`;
  return cutAtWord(purpose, VIETQR_LIMITS.purpose);
}

/**
 * Builds a VietQR transfer payload: 00, 01, 38 (GUID, BIN + account/card, service code), 52,
 * 53 = 704, 54, 58 = VN, 59, 60, 62 (01, 05, 08), 63 with an upper-case, zero-padded CRC.
 * Throws `VietQrInputError` naming the field when the input cannot make a QR banks accept.
 */
export function encodeVietQr(input: VietQrInput): string {
  const { bankBin, account } = input;
  if (typeof bankBin !== 'string' || !isDigits(bankBin, 6, 6) || findBankByBin(bankBin) === undefined) {
    throw new VietQrInputError('BANK_UNKNOWN', 'bankBin', `bank BIN "${String(bankBin)}" is not in the bank directory`);
  }
  const service = input.service ?? 'account';
  if (service !== 'account' && service !== 'card') {
    throw new VietQrInputError(
      'SERVICE_INVALID',
      'service',
      `service must be "account" or "card", got "${String(service)}"`,
    );
  }
  if (
    typeof account !== 'string' ||
    !(service === 'card' ? isDigits(account, 8, 19) : isAlphanumeric(account, 1, 19))
  ) {
    throw new VietQrInputError(
      'ACCOUNT_INVALID',
      'account',
      service === 'card'
        ? `card number must be 8–19 digits, got "${String(account)}"`
        : `account must be 1–19 letters or digits, got "${String(account)}"`,
    );
  }
  const amount = input.amount === undefined ? '' : formatAmount(input.amount);
  const initiation = input.initiation ?? (amount === '' ? 'static' : 'dynamic');
  if (initiation !== 'static' && initiation !== 'dynamic') {
    throw new VietQrInputError(
      'INITIATION_INVALID',
      'initiation',
      `initiation must be "static" or "dynamic", got "${String(initiation)}"`,
    );
  }
  if (initiation === 'static' && amount !== '') {
    throw new VietQrInputError(
      'INITIATION_INVALID',
      'initiation',
      'a static QR (01 = 11) carries no amount; use dynamic',
    );
  }
  if (input.paymentCode !== undefined && !isPaymentCode(input.paymentCode)) {
    throw new VietQrInputError(
      'PAYMENT_CODE_INVALID',
      'paymentCode',
      `payment code must be 1–19 upper-case letters or digits, got "${input.paymentCode}"`,
    );
  }
  if (input.mcc !== undefined && !isDigits(input.mcc, 4, 4)) {
    throw new VietQrInputError('MCC_INVALID', 'mcc', `merchant category code must be 4 digits, got "${input.mcc}"`);
  }
  const purpose = composePurpose(input.paymentCode, input.purpose);
  const bill = input.billNumber === undefined ? '' : identifier(input.billNumber, 'billNumber');
  const reference = input.referenceLabel === undefined ? '' : identifier(input.referenceLabel, 'referenceLabel');
  const name = input.merchantName === undefined ? '' : toQrText(input.merchantName, VIETQR_LIMITS.merchantName);
  const city = input.merchantCity === undefined ? '' : toQrText(input.merchantCity, VIETQR_LIMITS.merchantCity);

  // Every value below is ASCII and within 1–99 characters, so lengths are string lengths. The
  // CRC is updated piece by piece as the payload is assembled (constant pieces in two lookups).
  const napasLength = 14 + 4 + 14 + account.length + 12;
  let body = initiation === 'dynamic' ? PREFIX_DYNAMIC.text : PREFIX_STATIC.text;
  let crc = crc16Append(0xffff, initiation === 'dynamic' ? PREFIX_DYNAMIC : PREFIX_STATIC);
  const n38 = LENGTH[napasLength];
  const n01 = LENGTH[14 + account.length];
  const nAccount = LENGTH[account.length];
  body += `${n38}${GUID.text}${n01}0006${bankBin}01${nAccount}${account}`;
  crc = crc16Update(crc, n38);
  crc = crc16Append(crc, GUID);
  crc = crc16Update(crc, n01);
  crc = crc16Append(crc, BIN_TAG);
  crc = crc16Update(crc, bankBin);
  crc = crc16Append(crc, ACCOUNT_TAG);
  crc = crc16Update(crc, nAccount);
  crc = crc16Update(crc, account);
  const serviceTag = service === 'card' ? SERVICE_CARD : SERVICE_ACCOUNT;
  body += serviceTag.text;
  crc = crc16Append(crc, serviceTag);
  if (input.mcc !== undefined) {
    body += `5204${input.mcc}`;
    crc = crc16Append(crc, MCC_TAG);
    crc = crc16Update(crc, input.mcc);
  }
  body += CURRENCY.text;
  crc = crc16Append(crc, CURRENCY);
  if (amount !== '') {
    const tag = AMOUNT_TAG[amount.length];
    body += tag + amount;
    crc = crc16Update(crc16Update(crc, tag), amount);
  }
  body += COUNTRY.text;
  crc = crc16Append(crc, COUNTRY);
  if (name !== '') {
    const tag = NAME_TAG[name.length];
    body += tag + name;
    crc = crc16Update(crc16Update(crc, tag), name);
  }
  if (city !== '') {
    const tag = CITY_TAG[city.length];
    body += tag + city;
    crc = crc16Update(crc16Update(crc, tag), city);
  }
  const additionalLength =
    (bill === '' ? 0 : 4 + bill.length) +
    (reference === '' ? 0 : 4 + reference.length) +
    (purpose === '' ? 0 : 4 + purpose.length);
  if (additionalLength > 0) {
    const tag = ADDITIONAL_TAG[additionalLength];
    body += tag;
    crc = crc16Update(crc, tag);
    if (bill !== '') {
      const t = BILL_TAG[bill.length];
      body += t + bill;
      crc = crc16Update(crc16Update(crc, t), bill);
    }
    if (reference !== '') {
      const t = REFERENCE_TAG[reference.length];
      body += t + reference;
      crc = crc16Update(crc16Update(crc, t), reference);
    }
    if (purpose !== '') {
      const t = PURPOSE_TAG[purpose.length];
      body += t + purpose;
      crc = crc16Update(crc16Update(crc, t), purpose);
    }
  }
  return body + CRC_TAG.text + crcToHex(crc16Append(crc, CRC_TAG));
}
