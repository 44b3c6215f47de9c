/**
 * Problems found while decoding. Errors make a payload invalid; warnings describe quirks that
 * real bank apps emit and accept (lower-case CRC, over-long names, amount 0, fields out of order…).
 */
export type ErrorCode =
  // payload as a whole
  | 'PAYLOAD_EMPTY'
  | 'PAYLOAD_TOO_LONG'
  // TLV structure (root and templates)
  | 'TLV_BAD_ID'
  | 'TLV_BAD_LENGTH'
  | 'TLV_ZERO_LENGTH'
  | 'TLV_TRUNCATED'
  | 'TLV_OVERRUN'
  | 'TLV_SPLIT_CHARACTER'
  | 'TLV_DUPLICATE_TAG'
  // EMVCo root rules
  | 'FORMAT_INDICATOR_NOT_FIRST'
  | 'FORMAT_INDICATOR_INVALID'
  | 'CRC_MISSING'
  | 'CRC_NOT_LAST'
  | 'CRC_MISMATCH'
  // VietQR (NAPAS) rules
  | 'NOT_VIETQR'
  | 'NAPAS_FIELD_MISSING'
  | 'NAPAS_UNEXPECTED_FIELD'
  | 'BIN_INVALID'
  | 'ACCOUNT_INVALID'
  | 'SERVICE_CODE_INVALID'
  | 'INITIATION_MISSING'
  | 'INITIATION_INVALID'
  | 'CURRENCY_MISSING'
  | 'CURRENCY_NOT_VND'
  | 'COUNTRY_MISSING'
  | 'COUNTRY_NOT_VN'
  | 'AMOUNT_INVALID'
  | 'TIP_INVALID';

export type WarningCode =
  | 'PAYLOAD_TRIMMED'
  | 'CRC_LOWERCASE'
  | 'LENGTH_IN_UTF8_BYTES'
  | 'FIELDS_OUT_OF_ORDER'
  | 'FIELD_TOO_LONG'
  | 'NON_ASCII_TEXT'
  | 'AMOUNT_ZERO'
  | 'AMOUNT_ABOVE_NAPAS_LIMIT'
  | 'INITIATION_AMOUNT_MISMATCH'
  | 'BANK_UNKNOWN'
  | 'SERVICE_CODE_UNKNOWN'
  | 'NAPAS_TEMPLATE_NOT_38'
  | 'NAPAS_TEMPLATE_REPEATED'
  | 'GUID_LOWERCASE'
  | 'TEMPLATE_NOT_TLV';

export interface Issue<C extends string = ErrorCode | WarningCode> {
  readonly code: C;
  /** One sentence naming the tag path (e.g. `38/01/01`) and the position, when there is one. */
  readonly message: string;
  /** Tag path such as `62/08`, or null for the payload as a whole. */
  readonly tag: string | null;
  /** 0-based offset of the tag's ID in the payload (in the unit lengths were counted in), or null. */
  readonly position: number | null;
}

export type DecodeError = Issue<ErrorCode>;
export type DecodeWarning = Issue<WarningCode>;

/** Collects issues in the order they are found. */
export class IssueLog {
  readonly errors: DecodeError[] = [];
  readonly warnings: DecodeWarning[] = [];

  error(code: ErrorCode, message: string, tag: string | null = null, position: number | null = null): void {
    this.errors.push({ code, message, tag, position });
  }

  warn(code: WarningCode, message: string, tag: string | null = null, position: number | null = null): void {
    this.warnings.push({ code, message, tag, position });
  }
}

/** "tag 38/01 at position 20" — the prefix every positioned message starts with. */
export function where(tag: string, position: number): string {
  return `tag ${tag} at position ${position}`;
}
