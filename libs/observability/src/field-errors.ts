import type { z } from 'zod';
import { ApiError } from './api-error';
import type { FieldError, LocalizedText } from './api-error';

export interface FieldMessages {
  /** The message of each top-level field, shown whatever its problem was. */
  fields: Record<string, LocalizedText>;
  /** The field named when the input as a whole is wrong (not an object): `body` or `query`. */
  root: 'body' | 'query';
  /** The message when the input as a whole is wrong, or a field has no message of its own. */
  fallback: LocalizedText;
  /** Refines a field's message from the issue (e.g. a custom refinement's code). */
  refine?: (field: string, issue: z.core.$ZodIssue) => LocalizedText | undefined;
}

const UNKNOWN: Record<FieldMessages['root'], LocalizedText> = {
  body: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' },
  query: { vi: 'Tham số không được hỗ trợ', en: 'Unknown parameter' },
};

/**
 * Parses a flat request body or query with `schema`, or throws a 400 naming each offending field
 * with that field's bilingual message (unknown fields named together).
 */
export function parseFields<S extends z.ZodType>(schema: S, input: unknown, messages: FieldMessages): z.output<S> {
  // An absent query is an empty one; an absent body is not an object.
  const parsed = schema.safeParse(messages.root === 'query' ? (input ?? {}) : input);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return { field: issue.keys.join(','), message: UNKNOWN[messages.root] };
    const field = issue.path.length ? String(issue.path[0]) : messages.root;
    const message = messages.refine?.(field, issue) ?? messages.fields[field] ?? messages.fallback;
    return { field, message };
  });
  throw ApiError.validation(fields);
}

/** The usual fallback for a body: the input as a whole is not a JSON object. */
export const NOT_AN_OBJECT: LocalizedText = { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' };
