import fc from 'fast-check';
import type { FieldKind } from './fuzz-routes';

/**
 * The bad inputs of the campaign: fixed corpora of known troublemakers, mixed with values
 * fast-check generates from a seed (so a run can be replayed exactly). None of these strings may
 * contain a leak marker (see LEAK_MARKERS): a response echoing an input must not look like a leak.
 */

export const UNICODE_TRICKS: readonly string[] = [
  'a\u0000b', // NUL: PostgreSQL text cannot hold it
  '\u0000',
  'Cà phê\u202Egnp.exe', // right-to-left override
  'Phở\u200B\u200C\u200D\uFEFF', // zero-width characters and BOM
  'Ba\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309', // stacked combining marks
  'Nguye\u0302\u0303n Va\u0306n A\u0301', // NFD Vietnamese
  'Nguyễn Văn Á', // NFC Vietnamese
  '\uD800', // lone high surrogate
  '\uDC00x', // lone low surrogate
  '💸🇻🇳👨‍👩‍👧‍👦', // emoji, flags and a ZWJ sequence
  '\u0007\u001B[31mred\u001B[0m', // control characters, terminal escapes
  '\r\nX-Injected: 1', // header-style CRLF
  '\u2028\u2029', // JavaScript line separators
  'ＡＢＣ１２３', // full-width forms
  '\uFFFF\uFFFE',
  'ﷺ'.repeat(50),
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  'İıŞş',
];

export const INJECTIONS: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE merchant; --",
  '1; SELECT pg_sleep(5)',
  "' UNION SELECT password_hash FROM officer --",
  '$1',
  '\\',
  "\\'",
  '%',
  '_%_',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '${7*7}',
  '{{7*7}}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '%s%s%s%n',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  "=cmd|' /C calc'!A0", // spreadsheet formula
  '@SUM(1+1)',
  'a\r\nSet-Cookie: x=1',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:5432/',
];

/** NoSQL-style operator objects where a string is expected. */
export const OPERATOR_OBJECTS: readonly unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(100)' },
  { toString: 1 },
];

export const BAD_UUIDS: readonly string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0192d7a0-7c4e-7b3a-9f1e-8d2c4b6a1e0',
  '0192d7a0-7c4e-7b3a-9f1e-8d2c4b6a1e0ff',
  '0192d7a0-7c4e-7b3a-9f1e-8d2c4b6a1e0g',
  '{0192d7a0-7c4e-7b3a-9f1e-8d2c4b6a1e0f}',
  '0192d7a07c4e7b3a9f1e8d2c4b6a1e0f',
  '0192D7A0-7C4E-7B3A-9F1E-8D2C4B6A1E0F',
  ' 0192d7a0-7c4e-7b3a-9f1e-8d2c4b6a1e0f',
  '-1',
  '0',
  '1e9',
  'x'.repeat(5000),
  '%00',
  '%',
  '%ZZ',
  '%C0%AF',
  '%FF%FE',
  '%E2%80%AE',
];

export const BAD_CURSORS: readonly string[] = [
  '',
  'abc',
  '!!!',
  'eyJ0IjoxfQ', // base64url of {"t":1}
  Buffer.from('{"t":"2025-01-01","id":"\' OR 1=1"}').toString('base64url'),
  Buffer.from('{"t":"not a date","id":"x"}').toString('base64url'),
  Buffer.from('[1,2,3]').toString('base64url'),
  Buffer.from('null').toString('base64url'),
  Buffer.from('{"__proto__":{"x":1}}').toString('base64url'),
  Buffer.from('\u0000\u0001').toString('base64url'),
  'A'.repeat(4000),
  '%00',
];

/** Request bodies that are not JSON, or JSON that trips naive parsers. */
export const MALFORMED_JSON: readonly string[] = [
  '',
  '{',
  '}',
  '{"a":',
  '{"a" 1}',
  "{'a':1}",
  '{"a":1,}',
  '[1,2,',
  'nul',
  'tru',
  'NaN',
  'Infinity',
  '-',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '\uFEFF{"a":1}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '{"a":"\\uD800"}',
  '{"a":01}',
  '{"a":1e99999}',
  '{"a":.5}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  '"just a string"',
  '12345',
  'null',
  'true',
  '[]',
  '{}',
  '<xml/>',
  'a=1&b=2',
  '\u0000',
];

/** Amount values, written as raw JSON text: some are not representable in JavaScript. */
export const AMOUNT_LITERALS: readonly string[] = [
  '0',
  '-0',
  '-1',
  '-50000',
  '1.5',
  '50000.5',
  '50000.0',
  '0.0001',
  '1e3',
  '1E400',
  '-1e400',
  '9007199254740993',
  '99999999999999999999999999999',
  '500000000',
  '499999999',
  '1e21',
  '"50000"',
  '"50.000"',
  '"50,000"',
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"0x10"',
  '"1e3"',
  '" 50000"',
  '"５００００"',
  '"50000đ"',
  'null',
  'true',
  '[50000]',
  '{"$gt":0}',
  '""',
];

export const WRONG_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  '',
  ' ',
  'x',
  [],
  [1, 2],
  {},
  { a: 1 },
  'x'.repeat(10_000),
  Number.MAX_SAFE_INTEGER,
];

export const CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/JSON',
  'application/json;;;',
  'application/vnd.api+json',
  'application/octet-stream',
  '*/*',
  'json',
  `application/json; x=${'a'.repeat(2000)}`,
];

/** What the response body must never contain (unless the request itself carried it). */
export const LEAK_MARKERS: readonly (string | RegExp)[] = [
  /\bat [^\n]*\.js:\d+/,
  /\bat [^\n]*\.ts:\d+/,
  'node_modules',
  'QueryFailedError',
  'syntax error at',
  'duplicate key value',
  'violates ',
  'invalid input syntax',
  'invalid byte sequence',
  'unsupported Unicode escape',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'Maximum call stack',
  'ECONNREFUSED',
  'ECONNRESET',
  '/dist/apps/',
  '/dist/libs/',
  'EntityMetadata',
  '"stack"',
];

export function leakIn(response: string, request: string): string | undefined {
  for (const marker of LEAK_MARKERS) {
    if (typeof marker === 'string') {
      if (response.includes(marker) && !request.includes(marker)) return marker;
    } else {
      const match = marker.exec(response);
      if (match && !request.includes(match[0])) return String(marker);
    }
  }
  return undefined;
}

/** A nested JSON text of about `depth` levels: arrays, objects or both. */
export function deepJson(depth: number, kind: 'array' | 'object' | 'mixed'): string {
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (i % 2) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"k":';
      close = '}' + close;
    }
  }
  return open + '0' + close;
}

/** Any of the string troublemakers, or one fast-check makes up (full Unicode, odd lengths). */
export const badString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNICODE_TRICKS, ...INJECTIONS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 3000 }) },
);

/** A value of the wrong type for a field of `kind` (sometimes of the right type but absurd). */
export function wrongValue(kind: FieldKind): fc.Arbitrary<unknown> {
  const common = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(...OPERATOR_OBJECTS) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  switch (kind) {
    case 'amount':
    case 'int':
      return fc.oneof(common, fc.double(), fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.bigInt().map(String));
    case 'bool':
      return fc.oneof(common, fc.constantFrom('true', 'false', 1, 0, 'yes'));
    case 'uuid':
      return fc.oneof(
        common,
        fc.constantFrom(...BAD_UUIDS),
        fc.uuid().map((u) => u.toUpperCase() + ' '),
      );
    case 'day':
      return fc.oneof(
        common,
        fc.constantFrom(
          '2025-02-30',
          '2025-13-01',
          '0000-00-00',
          '9999-12-31',
          '2025-1-1',
          '20250101',
          '2025-01-01T00:00:00Z',
          '-2025-01-01',
        ),
      );
    case 'datetime':
      return fc.oneof(
        common,
        fc.constantFrom(
          '2025-01-01',
          '2025-01-01T25:00:00Z',
          '+275760-09-13T00:00:00Z',
          '0000-01-01T00:00:00Z',
          '2025-01-01T00:00:00+99:00',
        ),
      );
    default:
      return fc.oneof(common, badString);
  }
}

/** Random bytes that are not valid UTF-8 (overlong encodings, lone continuation bytes, 0xFF). */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .constantFrom(
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xf0, 0x80, 0x80, 0xaf],
    [0xff],
    [0xfe, 0xff],
    [0x80],
    [0xed, 0xa0, 0x80], // an encoded surrogate
    [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    [0xc3], // truncated sequence
  )
  .map((bytes) => Buffer.from(bytes));
