import { foldVietnamese } from '@cashless/vietqr';

/**
 * How real account feeds rewrite transfer content (see the SePay/Casso samples: banks upper-case
 * it, strip diacritics and punctuation, add their own prefixes and references, drop spaces or cut
 * it short). Used only when asked, to test that matching still finds the payment code.
 */
export const MANGLE_STYLES = ['upper', 'vcb', 'ibft', 'compact', 'truncate'] as const;
export type MangleStyle = (typeof MANGLE_STYLES)[number];

export interface MangleContext {
  /** The bank's own transaction number, digits (Vietcombank's `MBVCB.<n>.` prefix). */
  sequence: string;
  /** The bank's reference, e.g. `FT25335A1B2C`. */
  reference: string;
  payerAccount: string;
}

/** Content some feeds cut to (payment codes are ≤ 19 characters and written first). */
export const TRUNCATED_LENGTH = 20;

const NOT_ALNUM = /[^A-Z0-9]+/g;

/** Diacritics stripped, upper case, every run of other characters one space. */
function shout(content: string): string {
  return foldVietnamese(content).toUpperCase().replace(NOT_ALNUM, ' ').trim();
}

export function mangleContent(content: string, style: MangleStyle, context: MangleContext): string {
  switch (style) {
    case 'upper':
      return shout(content);
    case 'vcb':
      return `MBVCB.${context.sequence}.${shout(content)}.CT tu ${context.payerAccount}`;
    case 'ibft':
      return `IBFT ${shout(content)} ${context.reference}`;
    case 'compact':
      return shout(content).replace(/ /g, '');
    case 'truncate':
      return shout(content).slice(0, TRUNCATED_LENGTH).trimEnd();
  }
}

export function isMangleStyle(value: string): value is MangleStyle {
  return (MANGLE_STYLES as readonly string[]).includes(value);
}
