import { describe, expect, it } from '@jest/globals';
import type { PaymentRecordedData } from '@cashless/contracts';
import { announcementOf, formatDong, noticeOf } from './payment-notice';

describe('formatDong: whole đồng with "." between thousands', () => {
  it.each([
    [0, '0'],
    [5, '5'],
    [999, '999'],
    [1_000, '1.000'],
    [50_000, '50.000'],
    [1_234_567, '1.234.567'],
    [499_999_999, '499.999.999'],
  ])('%d → %s', (amount, text) => {
    expect(formatDong(amount)).toBe(text);
  });

  it('refuses what is not a whole, non-negative amount', () => {
    expect(() => formatDong(1.5)).toThrow(RangeError);
    expect(() => formatDong(-1)).toThrow(RangeError);
  });
});

describe('the spoken announcement', () => {
  it('says what arrived, like a payment speaker', () => {
    expect(announcementOf({ outcome: 'succeeded', expectedAmount: 50_000, amount: 50_000 })).toEqual({
      vi: 'Đã nhận 50.000 đồng',
      en: 'Received 50,000 VND',
    });
    expect(announcementOf({ outcome: 'static', expectedAmount: null, amount: 1_250_000 }).vi).toBe(
      'Đã nhận 1.250.000 đồng',
    );
  });

  it('adds what is missing for an underpaid checkout and what is over for an overpaid one', () => {
    expect(announcementOf({ outcome: 'underpaid', expectedAmount: 50_000, amount: 30_000 })).toEqual({
      vi: 'Đã nhận 30.000 đồng, còn thiếu 20.000 đồng',
      en: 'Received 30,000 VND, 20,000 VND short',
    });
    expect(announcementOf({ outcome: 'overpaid', expectedAmount: 50_000, amount: 55_000 }).vi).toBe(
      'Đã nhận 55.000 đồng, dư 5.000 đồng',
    );
  });

  it('asks the owner to check a payment that needs review', () => {
    expect(announcementOf({ outcome: 'needs_review', expectedAmount: 50_000, amount: 50_000 }).vi).toBe(
      'Đã nhận 50.000 đồng, cần kiểm tra lại',
    );
  });
});

describe('noticeOf', () => {
  it('takes what the shop owner page needs from the payment record', () => {
    const payment: PaymentRecordedData = {
      paymentId: '0190f3b4-0000-7000-8000-000000000001',
      merchantId: '0190f3b4-0000-7000-8000-000000000002',
      channel: 'dynamic_qr',
      outcome: 'succeeded',
      intentId: '0190f3b4-0000-7000-8000-000000000003',
      intentStatus: 'succeeded',
      expectedAmount: 50_000,
      paymentCode: 'CS7K2M9Q',
      orderRef: 'BAN-12',
      transfer: {
        notificationId: '0190f3b4-0000-7000-8000-000000000004',
        provider: 'generic',
        providerTransactionId: 'FT1',
        bankBin: '970436',
        accountNumber: '0071001234567',
        amount: 50_000,
        content: 'CS7K2M9Q thanh toan',
        transferredAt: '2026-12-01T03:00:00.000Z',
        receivedAt: '2026-12-01T03:00:01.000Z',
        payerName: 'NGUYEN VAN A',
        payerAccount: '123456',
        reference: 'FT25335',
      },
      recordedAt: '2026-12-01T03:00:01.100Z',
    };
    expect(noticeOf(payment)).toEqual({
      paymentId: payment.paymentId,
      merchantId: payment.merchantId,
      amount: 50_000,
      channel: 'dynamic_qr',
      outcome: 'succeeded',
      intentId: payment.intentId,
      intentStatus: 'succeeded',
      expectedAmount: 50_000,
      orderRef: 'BAN-12',
      paymentCode: 'CS7K2M9Q',
      payerName: 'NGUYEN VAN A',
      transferredAt: '2026-12-01T03:00:00.000Z',
      recordedAt: '2026-12-01T03:00:01.100Z',
      announcement: 'Đã nhận 50.000 đồng',
      announcementEn: 'Received 50,000 VND',
    });
  });
});
