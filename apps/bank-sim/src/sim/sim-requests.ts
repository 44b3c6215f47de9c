import { z } from 'zod';
import { TRANSFER_AMOUNT_LIMIT } from '@cashless/contracts';
import { ApiError, type FieldError, type LocalizedText } from '@cashless/observability';
import { MANGLE_STYLES } from '../bank/mangle';
import { MAX_DUPLICATES } from '../delivery/delivery';

export const MAX_DELAY_MS = 10 * 60_000;
export const MAX_BATCH = 100;
export const MAX_LOAD_RATE = 5_000;
export const MAX_LOAD_SECONDS = 3_600;
export const MAX_LOAD_TARGETS = 1_000;
export const MAX_IN_FLIGHT = 2_000;

const amount = z.number().int().positive().lt(TRANSFER_AMOUNT_LIMIT);
const payload = z.string().min(1).max(512);

const paymentFields = {
  payload,
  amount: amount.optional(),
  payerName: z
    .string()
    .max(200)
    .refine((s) => s.trim() !== '' && !/[\p{Cc}\p{Cf}]/u.test(s))
    .optional(),
  payerAccount: z
    .string()
    .regex(/^[0-9A-Za-z]{1,40}$/)
    .optional(),
  duplicates: z.number().int().min(0).max(MAX_DUPLICATES).default(0),
  concurrent: z.boolean().default(false),
  mangle: z.union([z.boolean(), z.enum(MANGLE_STYLES)]).optional(),
};

export const payRequestSchema = z.strictObject({
  ...paymentFields,
  delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
});
export type PayRequest = z.output<typeof payRequestSchema>;

export const batchRequestSchema = z.strictObject({
  payments: z.array(z.strictObject(paymentFields)).min(1).max(MAX_BATCH),
  reorder: z.boolean().default(false),
});
export type BatchRequest = z.output<typeof batchRequestSchema>;

/** Largest group a load run shuffles (`reorderWindow`): wider tests nothing more, only holds sends back. */
export const MAX_REORDER_WINDOW = 1000;

export const loadRequestSchema = z
  .strictObject({
    ratePerSecond: z.number().positive().max(MAX_LOAD_RATE),
    durationSeconds: z.number().positive().max(MAX_LOAD_SECONDS),
    payloads: z.array(payload).min(1).max(MAX_LOAD_TARGETS).optional(),
    merchants: z
      .array(z.strictObject({ apiKey: z.string().min(1).max(200), payload: payload.optional() }))
      .min(1)
      .max(MAX_LOAD_TARGETS)
      .optional(),
    dynamicShare: z.number().min(0).max(1).optional(),
    duplicateShare: z.number().min(0).max(1).optional(),
    reorderWindow: z.number().int().min(2).max(MAX_REORDER_WINDOW).optional(),
    maxInFlight: z.number().int().min(1).max(MAX_IN_FLIGHT).default(256),
    amounts: z
      .strictObject({ min: amount, max: amount })
      .refine((r) => r.min <= r.max, { path: ['max'] })
      .optional(),
  })
  .superRefine((body, ctx) => {
    const staticTargets = (body.payloads?.length ?? 0) + (body.merchants ?? []).filter((m) => m.payload).length;
    const share = body.dynamicShare ?? (staticTargets === 0 ? 1 : 0);
    if (share > 0 && body.merchants === undefined) {
      ctx.addIssue({ code: 'custom', path: ['merchants'], params: MESSAGES.dynamicNeedsMerchants });
    }
    if (share < 1 && staticTargets === 0) {
      ctx.addIssue({ code: 'custom', path: ['payloads'], params: MESSAGES.staticNeedsPayloads });
    }
  });
export type LoadRequest = z.output<typeof loadRequestSchema>;

const limit = TRANSFER_AMOUNT_LIMIT.toLocaleString('en-US');

/** What each field must be, said once per field name wherever it sits in a body. */
const MESSAGES = {
  payload: { vi: 'Chuỗi VietQR, 1–512 ký tự', en: 'A VietQR payload, 1–512 characters' },
  amount: {
    vi: `Số nguyên đồng lớn hơn 0 và nhỏ hơn ${limit}`,
    en: `Whole đồng above 0 and below ${limit}`,
  },
  payerName: { vi: 'Tên người trả: 1–200 ký tự in được', en: 'Payer name: 1–200 printable characters' },
  payerAccount: { vi: 'Tài khoản người trả: 1–40 chữ hoặc số', en: 'Payer account: 1–40 letters or digits' },
  duplicates: {
    vi: `Số lần gửi lặp: số nguyên từ 0 đến ${MAX_DUPLICATES}`,
    en: `Duplicates: a whole number from 0 to ${MAX_DUPLICATES}`,
  },
  concurrent: { vi: 'true hoặc false', en: 'true or false' },
  reorder: { vi: 'true hoặc false', en: 'true or false' },
  mangle: {
    vi: `true, false hoặc một trong: ${MANGLE_STYLES.join(', ')}`,
    en: `true, false or one of: ${MANGLE_STYLES.join(', ')}`,
  },
  delayMs: {
    vi: `Độ trễ: số mili giây nguyên từ 0 đến ${MAX_DELAY_MS}`,
    en: `Delay: whole milliseconds from 0 to ${MAX_DELAY_MS}`,
  },
  payments: {
    vi: `Danh sách 1–${MAX_BATCH} khoản thanh toán`,
    en: `A list of 1–${MAX_BATCH} payments`,
  },
  ratePerSecond: {
    vi: `Tốc độ: số dương tối đa ${MAX_LOAD_RATE} mỗi giây`,
    en: `Rate: a positive number up to ${MAX_LOAD_RATE} per second`,
  },
  durationSeconds: {
    vi: `Thời lượng: số giây dương tối đa ${MAX_LOAD_SECONDS}`,
    en: `Duration: positive seconds up to ${MAX_LOAD_SECONDS}`,
  },
  payloads: {
    vi: `Danh sách 1–${MAX_LOAD_TARGETS} chuỗi VietQR`,
    en: `A list of 1–${MAX_LOAD_TARGETS} VietQR payloads`,
  },
  merchants: {
    vi: `Danh sách 1–${MAX_LOAD_TARGETS} cửa hàng {apiKey, payload?}`,
    en: `A list of 1–${MAX_LOAD_TARGETS} merchants {apiKey, payload?}`,
  },
  apiKey: { vi: 'Khóa API của cửa hàng', en: "The merchant's API key" },
  dynamicShare: { vi: 'Tỷ lệ QR động, từ 0 đến 1', en: 'Share of dynamic QRs, from 0 to 1' },
  maxInFlight: {
    vi: `Số yêu cầu đồng thời: số nguyên từ 1 đến ${MAX_IN_FLIGHT}`,
    en: `Requests in flight: a whole number from 1 to ${MAX_IN_FLIGHT}`,
  },
  amounts: { vi: 'Khoảng số tiền {min, max}', en: 'An amount range {min, max}' },
  min: { vi: `Số nguyên đồng lớn hơn 0 và nhỏ hơn ${limit}`, en: `Whole đồng above 0 and below ${limit}` },
  max: {
    vi: `Số nguyên đồng không nhỏ hơn min và nhỏ hơn ${limit}`,
    en: `Whole đồng not below min and below ${limit}`,
  },
  dynamicNeedsMerchants: {
    vi: 'QR động cần danh sách cửa hàng (merchants) để tạo yêu cầu thanh toán',
    en: 'Dynamic QRs need merchants to create payment intents for',
  },
  staticNeedsPayloads: {
    vi: 'Cần payloads hoặc merchants[].payload cho các lần trả bằng QR tĩnh',
    en: 'Static payments need payloads or merchants[].payload',
  },
} satisfies Record<string, LocalizedText>;

const INVALID: LocalizedText = { vi: 'Giá trị không hợp lệ', en: 'Invalid value' };

/** `['payments', 0, 'amount']` → `payments[0].amount`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return (
    path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || 'body'
  );
}

function messageOf(issue: z.core.$ZodIssue): LocalizedText {
  const params = issue.code === 'custom' ? (issue.params as Partial<LocalizedText> | undefined) : undefined;
  if (params?.vi !== undefined && params.en !== undefined) return { vi: params.vi, en: params.en };
  if (issue.path.length === 0) return { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' };
  // The message belongs to the nearest named field: `payloads[3]` is described by `payloads`.
  const named = [...issue.path].reverse().find((p) => typeof p === 'string');
  return MESSAGES[named as keyof typeof MESSAGES] ?? INVALID;
}

/** Parses a body or throws a 400 naming every offending field, unknown fields included. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: fieldName([...issue.path, key]),
          message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' },
        }))
      : [{ field: fieldName(issue.path), message: messageOf(issue) }],
  );
  throw ApiError.validation(fields.slice(0, 50));
}
