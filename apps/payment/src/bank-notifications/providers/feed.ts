import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { TRANSFER_AMOUNT_LIMIT } from '@cashless/contracts';
import type { FieldError, LocalizedText } from '@cashless/observability';
import { resolveBank } from '@cashless/vietqr';

/** The account feeds the platform accepts notifications from (`POST /bank-notifications/:provider`). */
export const BANK_PROVIDERS = ['generic', 'sepay', 'casso', 'payos'] as const;
export type BankProvider = (typeof BANK_PROVIDERS)[number];

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** Why a request is not authentic; every one of them is a 401 and nothing is stored. */
export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * One transfer as a feed reports it, mapped to the canonical fields. `bankBin` is null when the
 * payload does not name the receiving bank in a way the directory knows (payOS never does): the
 * intake then resolves it from the payment code's intent or the merchant read model.
 */
export interface FeedTransfer {
  /** The feed's transaction id: the dedupe key together with the provider. */
  id: string;
  direction: 'in' | 'out';
  /** Set when the transfer is acknowledged and stored but not matched. */
  ignoredReason?: 'outgoing' | 'not_successful';
  bankBin: string | null;
  accountNumber: string;
  /** Whole đồng, the magnitude (an outgoing transfer is `direction: 'out'`, never negative). */
  amount: number;
  content: string;
  transferredAt: string;
  payerName?: string;
  payerAccount?: string;
  reference?: string;
}

export type CanonicalResult = { ok: true; transfer: FeedTransfer } | { ok: false; errors: FieldError[] };

/** A provider's pure adapter: authenticity from the exact bytes, then its payload → canonical. */
export interface FeedAdapter<S> {
  readonly provider: BankProvider;
  verify(rawBody: Buffer, headers: RequestHeaders, secret: S, now: Date, windowSeconds?: number): VerifyResult;
  toCanonical(payload: unknown): CanonicalResult;
}

export const DEFAULT_WINDOW_SECONDS = 300;

export function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time equality of two hex digests (false for malformed or different-length input). */
export function hexDigestsEqual(received: string, expected: string): boolean {
  if (!/^[0-9a-f]+$/i.test(received) || received.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(received.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
}

/** Constant-time equality of two secrets of any length (compared through their SHA-256). */
export function secretsEqual(received: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

export function hmacHex(algorithm: 'sha256' | 'sha512', key: string, message: string | Buffer): string {
  return createHmac(algorithm, key).update(message).digest('hex');
}

/** A timestamp within `windowSeconds` of `now`, either direction. */
export function withinWindow(timestampMs: number, now: Date, windowSeconds = DEFAULT_WINDOW_SECONDS): boolean {
  return Math.abs(now.getTime() - timestampMs) <= windowSeconds * 1000;
}

/**
 * Deepest nesting a feed's JSON may have for the schemes that sign parsed JSON (Casso, payOS):
 * real notifications are two or three levels deep, and re-serialising a body nested thousands of
 * levels deep would overflow the stack.
 */
export const MAX_SIGNED_JSON_DEPTH = 32;

/** True when `value` nests deeper than `limit` (checked without recursion). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The JSON body, or undefined when the bytes are not JSON (signature schemes over parsed JSON need it). */
export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Vietnamese feeds (SePay, Casso, payOS) report `YYYY-MM-DD HH:mm:ss` in Vietnam time (UTC+7, no
 * daylight saving): written with its offset so the instant is unambiguous.
 */
export const vietnamLocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  .transform((s, ctx) => {
    const iso = `${s.replace(' ', 'T')}+07:00`;
    const at = new Date(iso);
    // Date accepts 2025-02-30 by rolling over; the round trip catches it.
    const roundTrip = Number.isNaN(at.getTime())
      ? ''
      : new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    if (roundTrip !== s) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return iso;
  });

export const transferAmount = z.number().int().positive().lt(TRANSFER_AMOUNT_LIMIT);

/** A feed's account number as our payout accounts store it (digits and letters, ≤ 19). */
export const feedAccountNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{1,19}$/);

/** A feed transaction id: numbers become strings, so `92704` and `"92704"` dedupe together. */
export const feedTransactionId = z.union([
  z.number().int().nonnegative().transform(String),
  z.string().trim().min(1).max(100),
]);

/** Optional text from a feed: empty becomes absent, longer than `max` is cut (the raw body keeps all). */
export function optionalText(max: number) {
  return z
    .string()
    .nullish()
    .transform((s) => {
      const text = s?.trim();
      return text ? text.slice(0, max) : undefined;
    });
}

/** The receiving bank from the names a feed gives (`Vietcombank`, `MBBank`, `VPB`…), or null. */
export function bankBinFromNames(...names: (string | null | undefined)[]): string | null {
  for (const name of names) {
    if (!name?.trim()) continue;
    const bank = resolveBank(name);
    if (bank) return bank.bin;
  }
  return null;
}

export const AMOUNT_MESSAGE: LocalizedText = {
  vi: `Số tiền phải là số nguyên đồng lớn hơn 0 và nhỏ hơn ${TRANSFER_AMOUNT_LIMIT.toLocaleString('en')}`,
  en: `Amount must be a whole number of đồng above 0 and below ${TRANSFER_AMOUNT_LIMIT.toLocaleString('en')}`,
};
export const ACCOUNT_MESSAGE: LocalizedText = {
  vi: 'Số tài khoản: 1–19 chữ hoặc số',
  en: 'Account number: 1–19 letters or digits',
};
export const TRANSACTION_ID_MESSAGE: LocalizedText = {
  vi: 'Mã giao dịch: số hoặc chuỗi 1–100 ký tự',
  en: 'Transaction id: a number or 1–100 characters',
};
export const LOCAL_TIME_MESSAGE: LocalizedText = {
  vi: 'Thời điểm dạng YYYY-MM-DD HH:mm:ss (giờ Việt Nam)',
  en: 'A date-time as YYYY-MM-DD HH:mm:ss (Vietnam time)',
};
export const TEXT_MESSAGE: LocalizedText = { vi: 'Phải là chuỗi ký tự', en: 'Must be text' };

const REQUIRED: LocalizedText = { vi: 'Bắt buộc', en: 'Required' };
const INVALID: LocalizedText = { vi: 'Giá trị không hợp lệ', en: 'Invalid value' };
const NOT_OBJECT: LocalizedText = { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' };

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Zod issues → field errors named by the provider's own field paths (`data.amount`), with the
 * bilingual message of that field, "Required" when it is absent, one error per field.
 */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  payload: unknown,
  messages: Record<string, LocalizedText>,
): FieldError[] {
  const errors = new Map<string, LocalizedText>();
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || 'body';
    if (errors.has(field)) continue;
    const missing = issue.path.length > 0 && valueAt(payload, issue.path) === undefined;
    if (field === 'body' || (issue.code === 'invalid_type' && issue.expected === 'object' && !missing)) {
      errors.set(field, NOT_OBJECT);
    } else {
      errors.set(field, missing ? REQUIRED : (messages[field] ?? INVALID));
    }
  }
  return [...errors].map(([field, message]) => ({ field, message }));
}
