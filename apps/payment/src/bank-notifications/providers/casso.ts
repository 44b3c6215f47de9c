import { z } from 'zod';
import { TRANSFER_AMOUNT_LIMIT } from '@cashless/contracts';
import type { LocalizedText } from '@cashless/observability';
import {
  ACCOUNT_MESSAGE,
  DEFAULT_WINDOW_SECONDS,
  LOCAL_TIME_MESSAGE,
  MAX_SIGNED_JSON_DEPTH,
  TEXT_MESSAGE,
  TRANSACTION_ID_MESSAGE,
  bankBinFromNames,
  feedAccountNumber,
  feedTransactionId,
  fieldErrors,
  header,
  hexDigestsEqual,
  hmacHex,
  nestedDeeperThan,
  optionalText,
  parseJson,
  vietnamLocalDateTime,
  withinWindow,
} from './feed';
import type { CanonicalResult, FeedAdapter, RequestHeaders, VerifyResult } from './feed';

/** Objects with their keys sorted at every depth (arrays keep their order), as Casso signs them. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted;
}

/** PHP's `json_encode` defaults: `/` and every non-ASCII UTF-16 unit escaped. */
function phpJson(json: string): string {
  return json
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Casso webhook v2: `X-Casso-Signature: t=<unix ms>,v1=<hex HMAC-SHA512(checksum key,
 * "<t>." + JSON of the body with keys sorted at every depth)>`. Casso's own samples serialise with
 * PHP (`/` and non-ASCII escaped) as well as JS, so both serialisations are accepted, and the raw
 * body itself (a sender that signs the bytes it sends).
 */
export const cassoFeed: FeedAdapter<string> = {
  provider: 'casso',

  verify(
    rawBody: Buffer,
    headers: RequestHeaders,
    checksumKey: string,
    now: Date,
    windowSeconds = DEFAULT_WINDOW_SECONDS,
  ): VerifyResult {
    const value = header(headers, 'x-casso-signature');
    if (value === undefined || value.trim() === '') return { ok: false, reason: 'missing' };
    const match = /^t=(\d{1,15}),v1=([0-9a-fA-F]{128})$/.exec(value.replace(/\s+/g, ''));
    if (!match) return { ok: false, reason: 'malformed' };
    const [, t, signature] = match;
    if (!withinWindow(Number(t), now, windowSeconds)) return { ok: false, reason: 'stale' };
    const body = parseJson(rawBody);
    if (body === undefined) return { ok: false, reason: 'malformed' };
    // Too deep to re-serialise safely: only a signature over the raw bytes can match.
    const json = nestedDeeperThan(body, MAX_SIGNED_JSON_DEPTH) ? undefined : JSON.stringify(sortKeysDeep(body));
    const candidates = new Set(json === undefined ? [] : [json, phpJson(json)]);
    for (const message of candidates) {
      if (hexDigestsEqual(signature, hmacHex('sha512', checksumKey, `${t}.${message}`))) return { ok: true };
    }
    const overRaw = hmacHex('sha512', checksumKey, Buffer.concat([Buffer.from(`${t}.`), rawBody]));
    return hexDigestsEqual(signature, overRaw) ? { ok: true } : { ok: false, reason: 'mismatch' };
  },

  toCanonical(payload: unknown): CanonicalResult {
    const parsed = cassoPayload.safeParse(payload);
    if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues, payload, MESSAGES) };
    const { error, data } = parsed.data;
    const direction = data.amount < 0 ? 'out' : 'in';
    const ignoredReason = direction === 'out' ? 'outgoing' : error !== 0 ? 'not_successful' : undefined;
    return {
      ok: true,
      transfer: {
        id: data.id,
        direction,
        ...(ignoredReason ? { ignoredReason } : {}),
        bankBin: bankBinFromNames(data.bankAbbreviation, data.bankName),
        accountNumber: data.accountNumber,
        amount: Math.abs(data.amount),
        content: (data.description ?? '').slice(0, 500),
        transferredAt: data.transactionDateTime,
        payerName: data.counterAccountName,
        payerAccount: data.counterAccountNumber,
        reference: data.reference,
      },
    };
  },
};

const cassoPayload = z.object({
  error: z.number().int().default(0),
  data: z.object({
    id: feedTransactionId,
    reference: optionalText(100),
    description: z.string().nullish(),
    /** Negative for money leaving the account. */
    amount: z
      .number()
      .int()
      .refine((n) => n !== 0 && Math.abs(n) < TRANSFER_AMOUNT_LIMIT),
    transactionDateTime: vietnamLocalDateTime,
    accountNumber: feedAccountNumber,
    bankName: z.string().max(200).nullish(),
    bankAbbreviation: z.string().max(50).nullish(),
    counterAccountName: optionalText(200),
    counterAccountNumber: optionalText(40),
  }),
});

const MESSAGES: Record<string, LocalizedText> = {
  error: { vi: 'Mã lỗi phải là số nguyên', en: 'Error code must be an integer' },
  'data.id': TRANSACTION_ID_MESSAGE,
  'data.reference': TEXT_MESSAGE,
  'data.description': TEXT_MESSAGE,
  'data.amount': {
    vi: `Số tiền: số nguyên đồng khác 0, trị tuyệt đối nhỏ hơn ${TRANSFER_AMOUNT_LIMIT.toLocaleString('en')} (âm = tiền ra)`,
    en: `Amount: a non-zero whole number of đồng below ${TRANSFER_AMOUNT_LIMIT.toLocaleString('en')} in magnitude (negative = outgoing)`,
  },
  'data.transactionDateTime': LOCAL_TIME_MESSAGE,
  'data.accountNumber': ACCOUNT_MESSAGE,
  'data.bankName': TEXT_MESSAGE,
  'data.bankAbbreviation': TEXT_MESSAGE,
  'data.counterAccountName': TEXT_MESSAGE,
  'data.counterAccountNumber': TEXT_MESSAGE,
};
