import { z } from 'zod';
import { decodeCursor } from '@cashless/database';
import type { KeysetPosition } from '@cashless/database';
import { ApiError, FieldError, LocalizedText } from '@cashless/observability';
import type { FieldResult } from '../registration/field-result';

/** More field errors than this in one answer help nobody and let junk bodies inflate responses. */
const MAX_FIELD_ERRORS = 50;
/** Raw strings longer than this are refused before any normalisation work is spent on them. */
const DEFAULT_MAX_RAW = 1000;

/**
 * A string field checked by one of the pure validators: the validator's bilingual message
 * becomes the zod issue, the normalised value becomes the parsed value.
 */
export function checkedString<T>(check: (raw: string) => FieldResult<T>, maxRaw = DEFAULT_MAX_RAW) {
  return z.string().transform((raw, ctx): T => {
    if (raw.length > maxRaw) {
      ctx.addIssue({ code: 'custom', params: tooLong(maxRaw) });
      return z.NEVER;
    }
    const result = check(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', params: result.message });
      return z.NEVER;
    }
    return result.value;
  });
}

const tooLong = (max: number): LocalizedText => ({ vi: `Tối đa ${max} ký tự`, en: `At most ${max} characters` });

/** `['payoutAccounts', 0, 'accountNumber']` → `payoutAccounts[0].accountNumber`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'body';
}

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: { vi: 'chuỗi ký tự', en: 'a string' },
  number: { vi: 'số', en: 'a number' },
  int: { vi: 'số nguyên', en: 'an integer' },
  boolean: { vi: 'true hoặc false', en: 'true or false' },
  object: { vi: 'đối tượng JSON', en: 'a JSON object' },
  array: { vi: 'danh sách', en: 'a list' },
};

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(issue: z.core.$ZodIssue, body: unknown): LocalizedText {
  switch (issue.code) {
    case 'custom': {
      const params = issue.params as Partial<LocalizedText> | undefined;
      if (params?.vi && params.en) return { vi: params.vi, en: params.en };
      return { vi: 'Giá trị không hợp lệ', en: 'Invalid value' };
    }
    case 'invalid_type': {
      if (valueAt(body, issue.path) === undefined && issue.path.length > 0) {
        return { vi: 'Bắt buộc', en: 'Required' };
      }
      const name = TYPE_NAMES[issue.expected] ?? { vi: issue.expected, en: issue.expected };
      return { vi: `Phải là ${name.vi}`, en: `Must be ${name.en}` };
    }
    case 'too_big':
    case 'too_small': {
      const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
      const [vi, en] = issue.code === 'too_big' ? ['Tối đa', 'At most'] : ['Tối thiểu', 'At least'];
      if (issue.origin === 'string') return { vi: `${vi} ${bound} ký tự`, en: `${en} ${bound} characters` };
      if (issue.origin === 'array') return { vi: `${vi} ${bound} mục`, en: `${en} ${bound} items` };
      return { vi: `${vi} ${bound}`, en: `${en} ${bound}` };
    }
    case 'invalid_value':
      return {
        vi: `Phải là một trong: ${issue.values.map(String).join(', ')}`,
        en: `Must be one of: ${issue.values.map(String).join(', ')}`,
      };
    default:
      return { vi: 'Giá trị không hợp lệ', en: 'Invalid value' };
  }
}

/** Every problem of a body as field errors, unknown fields included (one error per unknown field). */
export function fieldErrorsOf(error: z.ZodError, body: unknown): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        fields.push({
          field: fieldPath([...issue.path, key]),
          message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' },
        });
      }
    } else {
      fields.push({ field: fieldPath(issue.path), message: describe(issue, body) });
    }
  }
  return fields.slice(0, MAX_FIELD_ERRORS);
}

/** Parses a request body or throws a 400 naming every offending field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw ApiError.validation(fieldErrorsOf(result.error, body));
  return result.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function parseUuid(raw: string): FieldResult<string> {
  const value = raw.trim().toLowerCase();
  return isUuid(value)
    ? { ok: true, value }
    : { ok: false, message: { vi: 'Mã định danh không hợp lệ', en: 'Not a valid id' } };
}

/**
 * A list's `cursor` query parameter: the `x-next-cursor` of the previous page, decoded to the
 * keyset position it names (400 when it is not one of ours).
 */
export const cursorParam = z.string().transform((raw, ctx): KeysetPosition => {
  const position = decodeCursor(raw);
  if (position) return position;
  ctx.addIssue({
    code: 'custom',
    params: {
      vi: 'Con trỏ trang không hợp lệ (dùng x-next-cursor của trang trước)',
      en: 'Invalid cursor (use x-next-cursor of the previous page)',
    },
  });
  return z.NEVER;
});

/** A list answers the next page's cursor in this header (its body stays the array of rows). */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

/** Optional free text an officer gives for a decision (NFC, no control characters). */
export const REASON_MAX = 500;
