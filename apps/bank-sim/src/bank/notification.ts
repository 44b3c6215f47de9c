import { v7 as uuidv7 } from 'uuid';
import { canonicalBankNotificationSchema, type CanonicalBankNotification } from '@cashless/contracts';
import { foldVietnamese } from '@cashless/vietqr';
import { MANGLE_STYLES, mangleContent, type MangleStyle } from './mangle';
import type { ScannedTransfer } from './scan-qr';

export interface Payer {
  /** Shown in the feed upper-case without diacritics, as banks report account holders. */
  name?: string;
  account?: string;
}

export const DEFAULT_PAYER = { name: 'NGUYEN VAN A', account: '0123456789' } as const;

export interface NotificationOptions {
  now?: Date;
  /** Source of the reference and the bank sequence number; tests pass a seeded one. */
  random?: () => number;
  /** Rewrite the content as a real feed would: a style, or true for one picked at random. */
  mangle?: MangleStyle | boolean;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const VIETNAM_OFFSET_MS = 7 * 3600_000;

function randomChars(random: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
  return out;
}

/** `2025-12-01T14:03:05.123+07:00`: feeds report Vietnam local time with its offset. */
export function vietnamTime(now: Date): string {
  return new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().replace('Z', '+07:00');
}

/** A core-banking reference like `FT25335` + 7 characters (year, day of year, sequence). */
export function bankReference(now: Date, random: () => number): string {
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  const dayOfYear = Math.floor((local.getTime() - Date.UTC(local.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const yy = String(local.getUTCFullYear() % 100).padStart(2, '0');
  return `FT${yy}${String(dayOfYear).padStart(3, '0')}${randomChars(random, ALNUM, 7)}`;
}

/** Unique per transfer and time-ordered, so feeds sorted by id read in transfer order. */
export function notificationId(): string {
  return `SIM${uuidv7().replace(/-/g, '').toUpperCase()}`;
}

/** The content a bank app fills in when the QR has none. */
export function defaultContent(payerName: string): string {
  return `Thanh toan ${payerName}`;
}

function feedName(name: string): string {
  return foldVietnamese(name).toUpperCase().replace(/\s+/g, ' ').trim();
}

/**
 * The canonical notification the payee's account feed sends for one scanned transfer. The
 * content is the QR's own (payment code first) unless `mangle` asks for a bank's rewrite.
 */
export function buildNotification(
  transfer: ScannedTransfer,
  payer: Payer = {},
  options: NotificationOptions = {},
): CanonicalBankNotification {
  const now = options.now ?? new Date();
  const random = options.random ?? Math.random;
  const payerName = feedName(payer.name ?? DEFAULT_PAYER.name) || DEFAULT_PAYER.name;
  const payerAccount = payer.account ?? DEFAULT_PAYER.account;
  const reference = bankReference(now, random);
  let content = transfer.qrContent ?? defaultContent(payerName);
  if (options.mangle !== undefined && options.mangle !== false) {
    const style = options.mangle === true ? MANGLE_STYLES[Math.floor(random() * MANGLE_STYLES.length)] : options.mangle;
    content = mangleContent(content, style, {
      sequence: randomChars(random, '0123456789', 10),
      reference,
      payerAccount,
    });
  }
  // Parsing here means nothing leaves the sandbox that the platform's schema would refuse.
  return canonicalBankNotificationSchema.parse({
    id: notificationId(),
    bankBin: transfer.bankBin,
    accountNumber: transfer.accountNumber,
    amount: transfer.amount,
    content,
    transferredAt: vietnamTime(now),
    payerName,
    payerAccount,
    reference,
  });
}
