import { z } from 'zod';
import type { LocalizedText } from '@cashless/observability';
import {
  ACCOUNT_MESSAGE,
  AMOUNT_MESSAGE,
  DEFAULT_WINDOW_SECONDS,
  LOCAL_TIME_MESSAGE,
  TEXT_MESSAGE,
  TRANSACTION_ID_MESSAGE,
  bankBinFromNames,
  feedAccountNumber,
  feedTransactionId,
  fieldErrors,
  header,
  hexDigestsEqual,
  hmacHex,
  optionalText,
  secretsEqual,
  transferAmount,
  vietnamLocalDateTime,
  withinWindow,
} from './feed';
import type { CanonicalResult, FeedAdapter, RequestHeaders, VerifyResult } from './feed';

/** SePay's credentials: the API key it sends as `Authorization: Apikey <key>`, and/or an HMAC secret. */
export interface SepaySecrets {
  apiKey?: string;
  hmacSecret?: string;
}

const sepayPayload = z.object({
  id: feedTransactionId,
  /** The bank's brand as SePay names it (`Vietcombank`, `MBBank`, `TPBank`…). */
  gateway: z.string().max(100).nullish(),
  transactionDate: vietnamLocalDateTime,
  accountNumber: feedAccountNumber,
  /** The payment code SePay detected with the company's own pattern; ours is found in `content`. */
  code: z.string().nullish(),
  content: z.string().nullish(),
  transferType: z.enum(['in', 'out']),
  transferAmount,
  referenceCode: optionalText(100),
  /** The bank's full notification text; used when `content` is empty. */
  description: z.string().nullish(),
  subAccount: z.string().nullish(),
});

const MESSAGES: Record<string, LocalizedText> = {
  id: TRANSACTION_ID_MESSAGE,
  gateway: TEXT_MESSAGE,
  transactionDate: LOCAL_TIME_MESSAGE,
  accountNumber: ACCOUNT_MESSAGE,
  content: TEXT_MESSAGE,
  description: TEXT_MESSAGE,
  transferType: { vi: 'Loại giao dịch: "in" hoặc "out"', en: 'Transfer type: "in" or "out"' },
  transferAmount: AMOUNT_MESSAGE,
  referenceCode: TEXT_MESSAGE,
};

/** `X-SePay-Timestamp`: unix seconds (milliseconds tolerated). */
function timestampMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,13}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= 1e12 ? n : n * 1000;
}

/**
 * SePay bank-account webhooks. Authentication: the HMAC variant when SePay sends
 * `X-SePay-Signature: sha256=<hex>` (HMAC-SHA256 over "<X-SePay-Timestamp>.<raw body>", timestamp
 * within the window) and an HMAC secret is configured; otherwise `Authorization: Apikey <key>`,
 * which carries no timestamp (a replay is harmless: it dedupes on SePay's `id`).
 */
export const sepayFeed: FeedAdapter<SepaySecrets> = {
  provider: 'sepay',

  verify(
    rawBody: Buffer,
    headers: RequestHeaders,
    secrets: SepaySecrets,
    now: Date,
    windowSeconds = DEFAULT_WINDOW_SECONDS,
  ): VerifyResult {
    const signature = header(headers, 'x-sepay-signature');
    if (signature !== undefined && secrets.hmacSecret) {
      const hex = /^(?:sha256=)?([0-9a-fA-F]{64})$/.exec(signature.trim())?.[1];
      const at = timestampMs(header(headers, 'x-sepay-timestamp'));
      if (!hex || at === undefined) return { ok: false, reason: 'malformed' };
      if (!withinWindow(at, now, windowSeconds)) return { ok: false, reason: 'stale' };
      const timestamp = header(headers, 'x-sepay-timestamp')!.trim();
      const expected = hmacHex('sha256', secrets.hmacSecret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
      return hexDigestsEqual(hex, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
    }
    if (!secrets.apiKey) return { ok: false, reason: 'missing' };
    const authorization = header(headers, 'authorization');
    if (authorization === undefined) return { ok: false, reason: 'missing' };
    const key = /^Apikey\s+(\S{1,500})$/i.exec(authorization.trim())?.[1];
    if (!key) return { ok: false, reason: 'malformed' };
    return secretsEqual(key, secrets.apiKey) ? { ok: true } : { ok: false, reason: 'mismatch' };
  },

  toCanonical(payload: unknown): CanonicalResult {
    const parsed = sepayPayload.safeParse(payload);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues, payload, MESSAGES) };
    const p = parsed.data;
    const content = (p.content?.trim() ? p.content : (p.description ?? '')).slice(0, 500);
    return {
      ok: true,
      transfer: {
        id: p.id,
        direction: p.transferType,
        ...(p.transferType === 'out' ? { ignoredReason: 'outgoing' as const } : {}),
        bankBin: bankBinFromNames(p.gateway),
        accountNumber: p.accountNumber,
        amount: p.transferAmount,
        content,
        transferredAt: p.transactionDate,
        reference: p.referenceCode,
      },
    };
  },
};
