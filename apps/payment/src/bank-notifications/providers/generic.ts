import { SIGNATURE_HEADER, canonicalBankNotificationSchema, verifySignatureHeader } from '@cashless/contracts';
import type { LocalizedText } from '@cashless/observability';
import { ACCOUNT_MESSAGE, AMOUNT_MESSAGE, DEFAULT_WINDOW_SECONDS, fieldErrors, header } from './feed';
import type { CanonicalResult, FeedAdapter, RequestHeaders, VerifyResult } from './feed';

const MESSAGES: Record<string, LocalizedText> = {
  id: { vi: 'Mã giao dịch: 1–100 ký tự', en: 'Transaction id: 1–100 characters' },
  bankBin: { vi: 'Mã BIN ngân hàng: 6 chữ số', en: 'Bank BIN: 6 digits' },
  accountNumber: ACCOUNT_MESSAGE,
  amount: AMOUNT_MESSAGE,
  content: { vi: 'Nội dung chuyển khoản: tối đa 500 ký tự', en: 'Transfer content: at most 500 characters' },
  transferredAt: {
    vi: 'Thời điểm chuyển khoản: ISO 8601 có múi giờ',
    en: 'Transfer time: an ISO 8601 date-time with offset',
  },
  payerName: { vi: 'Tên người chuyển: tối đa 200 ký tự', en: 'Payer name: at most 200 characters' },
  payerAccount: { vi: 'Tài khoản người chuyển: tối đa 40 ký tự', en: 'Payer account: at most 40 characters' },
  reference: { vi: 'Mã tham chiếu: tối đa 100 ký tự', en: 'Reference: at most 100 characters' },
};

/**
 * The platform's canonical feed (the sandbox bank sends it): `X-Signature: t=<s>,v1=<HMAC-SHA256
 * of "<t>.<raw body>">` within the window, body = the canonical notification, incoming only.
 */
export const genericFeed: FeedAdapter<string> = {
  provider: 'generic',

  verify(
    rawBody: Buffer,
    headers: RequestHeaders,
    secret: string,
    now: Date,
    windowSeconds = DEFAULT_WINDOW_SECONDS,
  ): VerifyResult {
    const check = verifySignatureHeader(header(headers, SIGNATURE_HEADER), rawBody, secret, {
      nowSeconds: Math.floor(now.getTime() / 1000),
      windowSeconds,
    });
    return check.ok ? { ok: true } : { ok: false, reason: check.reason };
  },

  toCanonical(payload: unknown): CanonicalResult {
    const parsed = canonicalBankNotificationSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues, payload, MESSAGES) };
    const { id, bankBin, accountNumber, amount, content, transferredAt, payerName, payerAccount, reference } =
      parsed.data;
    return {
      ok: true,
      transfer: {
        id,
        direction: 'in',
        bankBin,
        accountNumber,
        amount,
        content,
        transferredAt,
        payerName,
        payerAccount,
        reference,
      },
    };
  },
};
