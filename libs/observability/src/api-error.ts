/** A localised message: Vietnamese first, English alongside. */
export interface LocalizedText {
  vi: string;
  en: string;
}

export interface FieldError {
  field: string;
  message: LocalizedText;
}

/**
 * An error the client can act on. Rendered by the global filter as
 * `{ "error": { "code", "message", "details"? } }` with the given status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: LocalizedText,
    readonly details?: unknown,
  ) {
    super(text.en);
    this.name = 'ApiError';
  }

  static validation(fields: FieldError[]): ApiError {
    return new ApiError(400, 'validation_failed', { vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' }, { fields });
  }

  static notFound(what: LocalizedText): ApiError {
    return new ApiError(404, 'not_found', what);
  }
}
