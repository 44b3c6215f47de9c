import { z } from 'zod';
import type { LocalizedText } from '@cashless/observability';
import {
  ACCOUNT_MESSAGE,
  AMOUNT_MESSAGE,
  LOCAL_TIME_MESSAGE,
  MAX_SIGNED_JSON_DEPTH,
  TEXT_MESSAGE,
  feedAccountNumber,
  fieldErrors,
  hexDigestsEqual,
  hmacHex,
  isRecord,
  nestedDeeperThan,
  optionalText,
  parseJson,
  transferAmount,
  vietnamLocalDateTime,
} from './feed';
import type { CanonicalResult, FeedAdapter, VerifyResult } from './feed';

function sortKeys(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  );
}

/**
 * The string payOS signs: `data`'s keys sorted, `key=value` joined by `&`; null, undefined,
 * "null" and "undefined" as empty; arrays as JSON of their key-sorted elements (as the official
 * SDK's `convertObjToQueryStr`).
 */
export function payosSignedString(data: Record<string, unknown>): string {
  return Object.keys(data)
    .sort()
    .filter((key) => data[key] !== undefined)
    .map((key) => {
      let value = data[key];
      if (Array.isArray(value)) value = JSON.stringify(value.map(sortKeys));
      if (value === null || value === undefined || value === 'null' || value === 'undefined') value = '';
      return `${key}=${String(value)}`;
    })
    .join('&');
}

/**
 * payOS payment webhooks: the body carries `signature` = hex HMAC-SHA256(checksum key, the
 * signed string of `data`). payOS signs no timestamp, so there is no time window; a replay
 * dedupes on the payment link and bank reference.
 */
export const payosFeed: FeedAdapter<string> = {
  provider: 'payos',

  verify(rawBody: Buffer, _headers: unknown, checksumKey: string): VerifyResult {
    const body = parseJson(rawBody);
    if (!isRecord(body)) return { ok: false, reason: 'malformed' };
    if (body.signature === undefined) return { ok: false, reason: 'missing' };
    if (typeof body.signature !== 'string' || !isRecord(body.data)) return { ok: false, reason: 'malformed' };
    // Too deep to build the signed string safely; payOS never sends more than a flat `data`.
    if (nestedDeeperThan(body.data, MAX_SIGNED_JSON_DEPTH)) return { ok: false, reason: 'malformed' };
    const expected = hmacHex('sha256', checksumKey, payosSignedString(body.data));
    return hexDigestsEqual(body.signature, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
  },

  toCanonical(payload: unknown): CanonicalResult {
    const parsed = payosPayload.safeParse(payload);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues, payload, MESSAGES) };
    const { code, success, data } = parsed.data;
    const paid = success !== false && (code ?? '00') === '00' && (data.code ?? '00') === '00';
    return {
      ok: true,
      transfer: {
        // One payment link can receive several transfers (underpaid, then the rest): the bank
        // reference tells them apart.
        id: data.paymentLinkId ? `${data.paymentLinkId}:${data.reference}` : data.reference,
        direction: 'in',
        ...(paid ? {} : { ignoredReason: 'not_successful' as const }),
        // payOS names the payer's bank, never the receiving one: resolved from our own records.
        bankBin: null,
        accountNumber: data.accountNumber,
        amount: data.amount,
        content: (data.description ?? '').slice(0, 500),
        transferredAt: data.transactionDateTime,
        payerName: data.counterAccountName,
        payerAccount: data.counterAccountNumber,
        reference: data.reference,
      },
    };
  },
};

const payosPayload = z.object({
  code: z.string().nullish(),
  success: z.boolean().nullish(),
  data: z.object({
    orderCode: z.number().int().nullish(),
    amount: transferAmount,
    description: z.string().nullish(),
    accountNumber: feedAccountNumber,
    reference: z.string().trim().min(1).max(60),
    transactionDateTime: vietnamLocalDateTime,
    currency: z.literal('VND').nullish(),
    paymentLinkId: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,39}$/)
      .nullish(),
    code: z.string().nullish(),
    counterAccountName: optionalText(200),
    counterAccountNumber: optionalText(40),
  }),
});

const MESSAGES: Record<string, LocalizedText> = {
  code: TEXT_MESSAGE,
  success: { vi: 'Phải là true hoặc false', en: 'Must be true or false' },
  'data.orderCode': { vi: 'Mã đơn hàng phải là số nguyên', en: 'Order code must be an integer' },
  'data.amount': AMOUNT_MESSAGE,
  'data.description': TEXT_MESSAGE,
  'data.accountNumber': ACCOUNT_MESSAGE,
  'data.reference': { vi: 'Mã tham chiếu: 1–60 ký tự', en: 'Reference: 1–60 characters' },
  'data.transactionDateTime': LOCAL_TIME_MESSAGE,
  'data.currency': { vi: 'Chỉ nhận tiền đồng (VND)', en: 'Only đồng (VND) is accepted' },
  'data.paymentLinkId': { vi: 'Mã liên kết thanh toán không hợp lệ', en: 'Invalid payment link id' },
  'data.code': TEXT_MESSAGE,
  'data.counterAccountName': TEXT_MESSAGE,
  'data.counterAccountNumber': TEXT_MESSAGE,
};
