import type { PaymentRecordedData } from '@cashless/contracts';

/**
 * What a shop owner's page (live feed) and a merchant's system (webhook `data`) are told about one
 * confirmed payment. `announcement` is the sentence a payment speaker says out loud.
 */
export interface PaymentNotice {
  paymentId: string;
  merchantId: string;
  amount: number;
  channel: PaymentRecordedData['channel'];
  outcome: PaymentRecordedData['outcome'];
  intentId: string | null;
  intentStatus: PaymentRecordedData['intentStatus'];
  expectedAmount: number | null;
  orderRef: string | null;
  paymentCode: string | null;
  payerName: string | null;
  transferredAt: string;
  recordedAt: string;
  announcement: string;
  announcementEn: string;
}

/** `50000` → `"50.000"`: whole đồng with `.` between thousands, as Vietnamese receipts print them. */
export function formatDong(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a whole đồng amount: ${amount}`);
  return String(amount).replace(/\B(?=(\d{3})+$)/g, '.');
}

/** `50000` → `"50,000"` for the English text. */
function formatDongEn(amount: number): string {
  return formatDong(amount).replaceAll('.', ',');
}

/**
 * The spoken sentence, Vietnamese first: "Đã nhận 50.000 đồng", plus what the shop owner must know
 * when the transfer did not settle the checkout exactly.
 */
export function announcementOf(payment: Pick<PaymentRecordedData, 'outcome' | 'expectedAmount'> & { amount: number }): {
  vi: string;
  en: string;
} {
  const vi = `Đã nhận ${formatDong(payment.amount)} đồng`;
  const en = `Received ${formatDongEn(payment.amount)} VND`;
  const gap = payment.expectedAmount === null ? 0 : payment.amount - payment.expectedAmount;
  switch (payment.outcome) {
    case 'underpaid':
      if (gap < 0) {
        return { vi: `${vi}, còn thiếu ${formatDong(-gap)} đồng`, en: `${en}, ${formatDongEn(-gap)} VND short` };
      }
      break;
    case 'overpaid':
      if (gap > 0) {
        return { vi: `${vi}, dư ${formatDong(gap)} đồng`, en: `${en}, ${formatDongEn(gap)} VND over` };
      }
      break;
    case 'needs_review':
      return { vi: `${vi}, cần kiểm tra lại`, en: `${en}, please review` };
    case 'succeeded':
    case 'static':
      break;
  }
  return { vi, en };
}

export function noticeOf(payment: PaymentRecordedData): PaymentNotice {
  const amount = payment.transfer.amount;
  const text = announcementOf({ outcome: payment.outcome, expectedAmount: payment.expectedAmount, amount });
  return {
    paymentId: payment.paymentId,
    merchantId: payment.merchantId,
    amount,
    channel: payment.channel,
    outcome: payment.outcome,
    intentId: payment.intentId,
    intentStatus: payment.intentStatus,
    expectedAmount: payment.expectedAmount,
    orderRef: payment.orderRef,
    paymentCode: payment.paymentCode,
    payerName: payment.transfer.payerName,
    transferredAt: payment.transfer.transferredAt,
    recordedAt: payment.recordedAt,
    announcement: text.vi,
    announcementEn: text.en,
  };
}
