import type { CanonicalBankNotification } from '@cashless/contracts';
import type { MangleStyle } from './mangle';
import { buildNotification } from './notification';
import { scanQr, type ScanError, type ScannedTransfer } from './scan-qr';

/** One payment as a shopper makes it: scan, maybe type an amount, confirm. */
export interface PayInput {
  payload: string;
  amount?: number;
  payerName?: string;
  payerAccount?: string;
  mangle?: MangleStyle | boolean;
}

export interface PreparedPayment {
  transfer: ScannedTransfer;
  notification: CanonicalBankNotification;
}

export interface PrepareOptions {
  cardTransfers?: boolean;
  now?: Date;
  random?: () => number;
}

/** Scans the QR and, when the bank app would pay it, builds the notification the feed sends. */
export function preparePayment(
  input: PayInput,
  options: PrepareOptions = {},
): { ok: true; payment: PreparedPayment } | { ok: false; error: ScanError } {
  const scanned = scanQr(input.payload, { amount: input.amount, cardTransfers: options.cardTransfers });
  if (!scanned.ok) return scanned;
  const notification = buildNotification(
    scanned.transfer,
    { name: input.payerName, account: input.payerAccount },
    { now: options.now, random: options.random, mangle: input.mangle },
  );
  return { ok: true, payment: { notification, transfer: scanned.transfer } };
}
