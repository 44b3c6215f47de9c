import { QRPay, VietQRService } from 'vietnam-qr-pay';
import type { VietQrInput } from '../src';
import { composePurpose } from '../src';

/**
 * vietnam-qr-pay 1.5.1 (xuannghia), the most used VietQR package on npm: a dev dependency used
 * only by tests and benchmarks as the published peer to compare with.
 */
export { QRPay };

/**
 * The peer's builder given the same input. It neither folds nor cuts text, so it receives the
 * purpose our builder composes (payment code + text); other texts must already be canonical.
 */
export function peerEncode(input: VietQrInput): string {
  const purpose = composePurpose(input.paymentCode, input.purpose);
  const qr = QRPay.initVietQR({
    bankBin: input.bankBin,
    bankNumber: input.account,
    amount: input.amount === undefined ? undefined : String(input.amount),
    purpose: purpose === '' ? undefined : purpose,
    service: input.service === 'card' ? VietQRService.BY_CARD_NUMBER : VietQRService.BY_ACCOUNT_NUMBER,
    initMethod: input.initiation === undefined ? undefined : input.initiation === 'dynamic' ? '12' : '11',
  });
  if (input.mcc !== undefined) qr.category = input.mcc;
  if (input.merchantName !== undefined) qr.merchant.name = input.merchantName;
  if (input.merchantCity !== undefined) qr.city = input.merchantCity;
  if (input.billNumber !== undefined) qr.additionalData.billNumber = input.billNumber;
  if (input.referenceLabel !== undefined) qr.additionalData.reference = input.referenceLabel;
  return qr.build();
}
