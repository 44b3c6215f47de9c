import { z } from 'zod';
import { CATEGORY_CODES } from '@cashless/contracts';
import { ApiError } from '@cashless/observability';
import type { FieldError, LocalizedText } from '@cashless/observability';
import { addDays, daysBetween, isDay, vietnamDay } from '../kpi/calendar';

/**
 * Query and body validation of the city API: every parameter is checked, unknown ones refused,
 * and each problem is answered as a bilingual field error (400), never a 500.
 */
/** The contract's business categories, in their order. */
export const CATEGORIES = CATEGORY_CODES;

export const BREAKDOWN_DIMENSIONS = ['category', 'bank', 'street', 'ward'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A string checked by `test`, refused with the bilingual `message`. */
const checked = (test: (value: string) => boolean, message: LocalizedText) =>
  z.string().refine(test, { params: message });

/** One of a fixed list of codes. */
function oneOf<const T extends readonly string[]>(values: T) {
  return z
    .string()
    .refine((v) => values.includes(v), {
      params: { vi: `Một trong: ${values.join(', ')}`, en: `One of: ${values.join(', ')}` },
    })
    .transform((v) => v as T[number]);
}

const day = checked(isDay, {
  vi: 'Ngày theo dạng YYYY-MM-DD, là một ngày có thật',
  en: 'A real calendar day written YYYY-MM-DD',
});
const uuid = checked((v) => UUID.test(v), { vi: 'Mã không hợp lệ (UUID)', en: 'Not a valid id (UUID)' }).transform(
  (v) => v.toLowerCase(),
);
const category = oneOf(CATEGORIES);
const bank = checked((v) => /^\d{6}$/.test(v), { vi: 'Mã BIN ngân hàng gồm 6 chữ số', en: 'A bank BIN of 6 digits' });

/** Longest range any report covers (ten years). */
const MAX_RANGE_DAYS = 3_660;
/** A daily series of more than this many points is refused: ask for weeks or months. */
const MAX_DAILY_POINTS = 400;

const range = {
  from: day.optional(),
  to: day.optional(),
  streetId: uuid.optional(),
  wardId: uuid.optional(),
};

export interface DateRange {
  from: string;
  to: string;
}

/** Defaults: to = today in Vietnam, from = 29 days before `to` (the last 30 days). */
function withDefaults<T extends { from?: string; to?: string }>(query: T, ctx: z.RefinementCtx): T & DateRange {
  const to = query.to ?? vietnamDay(new Date());
  const from = query.from ?? addDays(to, -29);
  if (from > to)
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      params: { vi: 'Ngày bắt đầu phải trước ngày kết thúc', en: 'from must not be after to' },
    });
  else if (daysBetween(from, to) >= MAX_RANGE_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      params: { vi: 'Khoảng thời gian tối đa 10 năm', en: 'At most ten years at once' },
    });
  }
  return { ...query, from, to };
}

export const adoptionQuery = z.strictObject(range).transform(withDefaults);

export const granularity = oneOf(['day', 'week', 'month'] as const);

export const timeseriesQuery = z
  .strictObject({
    ...range,
    granularity: granularity.default('day'),
    category: category.optional(),
    bank: bank.optional(),
  })
  .transform(withDefaults)
  .superRefine((q, ctx) => {
    if (q.granularity === 'day' && daysBetween(q.from, q.to) >= MAX_DAILY_POINTS) {
      ctx.addIssue({
        code: 'custom',
        path: ['granularity'],
        params: {
          vi: `Theo ngày tối đa ${MAX_DAILY_POINTS} ngày; hãy chọn theo tuần hoặc tháng`,
          en: `Daily series cover at most ${MAX_DAILY_POINTS} days; choose week or month`,
        },
      });
    }
  });

export const breakdownQuery = z
  .strictObject({
    ...range,
    by: oneOf(BREAKDOWN_DIMENSIONS),
  })
  .transform(withDefaults);

export const campaignReportQuery = z.strictObject({ streetId: uuid.optional(), wardId: uuid.optional() });

export const exportQuery = z
  .strictObject({
    ...range,
    dataset: oneOf(['adoption', 'timeseries', 'breakdown'] as const).default('adoption'),
    granularity: granularity.default('month'),
    by: oneOf(BREAKDOWN_DIMENSIONS).default('category'),
    category: category.optional(),
    bank: bank.optional(),
  })
  .transform(withDefaults);

const campaignName = z
  .string()
  .transform((v) => v.normalize('NFC').trim())
  .refine((v) => v.length >= 1 && v.length <= 200 && !/[\p{Cc}]/u.test(v), {
    params: {
      vi: 'Tên từ 1 đến 200 ký tự, không có ký tự điều khiển',
      en: '1 to 200 characters, no control characters',
    },
  });

export const newCampaignBody = z
  .strictObject({
    name: campaignName,
    startDate: day,
    endDate: day,
    monthsBefore: z.number().int().min(1).max(24).default(3),
  })
  .superRefine((c, ctx) => {
    if (c.endDate < c.startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        params: { vi: 'Ngày kết thúc phải sau ngày bắt đầu', en: 'endDate must not be before startDate' },
      });
    } else if (daysBetween(c.startDate, c.endDate) > 731) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        params: { vi: 'Một chiến dịch dài tối đa 2 năm', en: 'A campaign lasts at most two years' },
      });
    }
  });

export type AdoptionQuery = z.output<typeof adoptionQuery>;
export type TimeseriesQuery = z.output<typeof timeseriesQuery>;
export type BreakdownQuery = z.output<typeof breakdownQuery>;
export type ExportQuery = z.output<typeof exportQuery>;
export type NewCampaign = z.output<typeof newCampaignBody>;

export function parseUuidParam(id: string): string | undefined {
  return UUID.test(id) ? id.toLowerCase() : undefined;
}

function messageOf(issue: z.core.$ZodIssue): LocalizedText {
  const params = (issue as { params?: Partial<LocalizedText> }).params;
  if (params?.vi && params.en) return { vi: params.vi, en: params.en };
  switch (issue.code) {
    case 'unrecognized_keys':
      return { vi: 'Tham số không được hỗ trợ', en: 'Unknown parameter' };
    case 'invalid_type':
      return issue.input === undefined
        ? { vi: 'Bắt buộc', en: 'Required' }
        : { vi: `Sai kiểu dữ liệu (cần ${issue.expected})`, en: `Must be ${issue.expected}` };
    case 'too_small':
      return { vi: `Tối thiểu ${String(issue.minimum)}`, en: `At least ${String(issue.minimum)}` };
    case 'too_big':
      return { vi: `Tối đa ${String(issue.maximum)}`, en: `At most ${String(issue.maximum)}` };
    default:
      return { vi: 'Giá trị không hợp lệ', en: 'Invalid value' };
  }
}

/** Parses `input` or throws the 400 with one bilingual error per field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const fields: FieldError[] = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: key, message: messageOf(issue) }))
      : [{ field: issue.path.map(String).join('.') || 'query', message: messageOf(issue) }],
  );
  throw ApiError.validation(fields.slice(0, 20));
}
