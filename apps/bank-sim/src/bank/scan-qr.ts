import { TRANSFER_AMOUNT_LIMIT } from '@cashless/contracts';
import { decodeVietQr, type Initiation, type TransferService } from '@cashless/vietqr';

/** A bilingual message, Vietnamese first (the shape `ApiError` takes). */
export interface Reason {
  vi: string;
  en: string;
}

export type ScanErrorCode =
  | 'qr_malformed'
  | 'qr_crc_invalid'
  | 'qr_not_vietqr'
  | 'qr_not_transfer'
  | 'bank_unknown'
  | 'account_unsupported'
  | 'card_transfer_unsupported'
  | 'amount_required'
  | 'dynamic_amount_missing'
  | 'amount_invalid'
  | 'amount_above_limit';

/** Why the bank app refuses to pay a QR; `details` are the decoder's own findings, when any. */
export interface ScanError {
  code: ScanErrorCode;
  reason: Reason;
  details?: { code: string; message: string }[];
}

/** What the bank app shows on its confirmation screen, ready to send. */
export interface ScannedTransfer {
  bankBin: string;
  bankShortName: string | null;
  /** The beneficiary account (or card number for a card transfer). */
  accountNumber: string;
  service: TransferService;
  /** 01 as encoded; null when a VietQR had neither 11 nor 12 (the decoder rejects those). */
  initiation: Initiation;
  /** Whole đồng to transfer. */
  amount: number;
  /** The amount the QR fixes, or null when the payer entered it. */
  qrAmount: number | null;
  /** A sandbox override replaced the QR's fixed amount (to test under- and overpayment). */
  amountOverridden: boolean;
  /** The transfer content the app pre-fills from the QR; null when the QR has none. */
  qrContent: string | null;
}

export interface ScanOptions {
  /** The amount the payer types (static QR), or a sandbox override of a QR's fixed amount. */
  amount?: number;
  /** False: behave like a bank app that does not transfer to card numbers (QRIBFTTC). */
  cardTransfers?: boolean;
}

export type ScanResult = { ok: true; transfer: ScannedTransfer } | { ok: false; error: ScanError };

const ACCOUNT = /^[0-9A-Za-z]{1,19}$/;
const limit = TRANSFER_AMOUNT_LIMIT.toLocaleString('en-US');

const REASONS: Record<ScanErrorCode, Reason> = {
  qr_malformed: {
    vi: 'Mã QR không đúng định dạng, không đọc được',
    en: 'The QR code is malformed and cannot be read',
  },
  qr_crc_invalid: {
    vi: 'Mã QR bị lỗi (sai mã kiểm tra CRC)',
    en: 'The QR code is damaged (CRC check failed)',
  },
  qr_not_vietqr: {
    vi: 'Đây không phải mã VietQR chuyển khoản',
    en: 'This is not a VietQR transfer code',
  },
  qr_not_transfer: {
    vi: 'Mã VietQR này không dùng để chuyển khoản (không có mã dịch vụ QRIBFTTA/QRIBFTTC)',
    en: 'This VietQR is not a transfer code (no QRIBFTTA/QRIBFTTC service code)',
  },
  bank_unknown: {
    vi: 'Ngân hàng thụ hưởng không có trong danh sách ngân hàng',
    en: 'The beneficiary bank is not in the bank directory',
  },
  account_unsupported: {
    vi: 'Số tài khoản thụ hưởng chỉ được gồm chữ và số',
    en: 'The beneficiary account may only contain letters and digits',
  },
  card_transfer_unsupported: {
    vi: 'Ngân hàng này không hỗ trợ chuyển khoản đến số thẻ',
    en: 'This bank does not support transfers to card numbers',
  },
  amount_required: {
    vi: 'Mã QR tĩnh không có số tiền: người trả phải nhập số tiền',
    en: 'A static QR carries no amount: the payer must enter one',
  },
  dynamic_amount_missing: {
    vi: 'Mã QR động không có số tiền: cần nhập số tiền',
    en: 'This dynamic QR carries no amount: an amount must be given',
  },
  amount_invalid: {
    vi: `Số tiền phải là số nguyên đồng lớn hơn 0 và nhỏ hơn ${limit}`,
    en: `The amount must be whole đồng above 0 and below ${limit}`,
  },
  amount_above_limit: {
    vi: `Số tiền trong mã QR vượt hạn mức chuyển nhanh NAPAS247 (dưới ${limit} đồng)`,
    en: `The QR's amount exceeds the NAPAS247 per-transfer limit (below ${limit} đồng)`,
  },
};

function fail(code: ScanErrorCode, details: ScanError['details'] = []): ScanResult {
  const error: ScanError = { code, reason: REASONS[code] };
  if (details.length > 0) error.details = details;
  return { ok: false, error };
}

export function isValidAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0 && amount < TRANSFER_AMOUNT_LIMIT;
}

/**
 * Reads a VietQR payload as a bank app does before it shows the confirmation screen: the code
 * must be intact (CRC), well-formed, a NAPAS transfer QR to a bank in the directory; the amount
 * comes from the QR when it carries one, otherwise from the payer. Never throws.
 */
export function scanQr(payload: string, options: ScanOptions = {}): ScanResult {
  const decoded = decodeVietQr(payload);
  const findings = decoded.errors.map((e) => ({ code: e.code, message: e.message }));
  if (!decoded.vietqr) {
    const codes = new Set(decoded.errors.map((e) => e.code));
    if (codes.has('CRC_MISMATCH')) return fail('qr_crc_invalid', findings);
    if (decoded.emvco && codes.has('NOT_VIETQR')) return fail('qr_not_vietqr', findings);
    return fail('qr_malformed', findings);
  }
  const { fields, bank } = decoded;
  if (!decoded.transfer || fields.service === null || fields.account === null || fields.bankBin === null) {
    return fail('qr_not_transfer');
  }
  if (bank === null) return fail('bank_unknown');
  // Decoding allows any printable account (wallet ids); a bank's feed reports letters and digits.
  if (!ACCOUNT.test(fields.account)) return fail('account_unsupported');
  if (fields.service === 'card' && options.cardTransfers === false) return fail('card_transfer_unsupported');

  const given = options.amount;
  if (given !== undefined && !isValidAmount(given)) return fail('amount_invalid');
  // An amount of 0 is flagged by the decoder and treated as absent, as bank apps do.
  const qrAmount =
    fields.amount === null || decoded.warnings.some((w) => w.code === 'AMOUNT_ZERO') ? null : Number(fields.amount);
  if (qrAmount !== null && qrAmount >= TRANSFER_AMOUNT_LIMIT) return fail('amount_above_limit');
  // The decoder accepts only 11 and 12 in a VietQR.
  const initiation: Initiation = fields.initiation ?? 'static';
  if (qrAmount === null && given === undefined) {
    return fail(initiation === 'dynamic' ? 'dynamic_amount_missing' : 'amount_required');
  }
  const amount = given ?? (qrAmount as number);
  return {
    ok: true,
    transfer: {
      bankBin: fields.bankBin,
      bankShortName: bank.shortName,
      accountNumber: fields.account,
      service: fields.service,
      initiation,
      amount,
      qrAmount,
      amountOverridden: qrAmount !== null && amount !== qrAmount,
      qrContent: fields.purpose ?? fields.billNumber ?? fields.referenceLabel,
    },
  };
}
