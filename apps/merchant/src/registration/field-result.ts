import type { LocalizedText } from '@cashless/observability';

/** Outcome of checking one field: the normalised value, or a message in Vietnamese and English. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: LocalizedText };

export const accept = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const refuse = (vi: string, en: string): FieldResult<never> => ({ ok: false, message: { vi, en } });
