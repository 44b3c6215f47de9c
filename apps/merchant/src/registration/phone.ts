import { FieldResult, accept, refuse } from './field-result';

/**
 * Vietnamese mobile prefixes after the 2018 move from 11 to 10 digits (Viettel 032–039, 086,
 * 096–098; VinaPhone 081–085, 088, 091, 094; MobiFone 070, 076–079, 089, 090, 093;
 * Vietnamobile 052, 056, 058, 092; Gmobile 059, 099; Reddi 055; iTel 087). 095 (S-Fone) is gone.
 */
const MOBILE_PREFIXES = new Set([
  ...['032', '033', '034', '035', '036', '037', '038', '039'],
  ...['052', '055', '056', '058', '059'],
  ...['070', '076', '077', '078', '079'],
  ...['081', '082', '083', '084', '085', '086', '087', '088', '089'],
  ...['090', '091', '092', '093', '094', '096', '097', '098', '099'],
]);

const INVALID = refuse(
  'Số điện thoại di động Việt Nam gồm 10 chữ số, ví dụ 0912345678 hoặc +84912345678',
  'A Vietnamese mobile number has 10 digits, e.g. 0912345678 or +84912345678',
);

/**
 * Accepts `0912345678`, `+84912345678`, `84912345678` and the same with spaces, dots or dashes;
 * returns the national form `0912345678`, the one key used to compare phones.
 */
export function normalizeMobilePhone(raw: string): FieldResult<string> {
  const compact = raw.trim().replace(/[\s.-]/g, '');
  let national: string;
  if (/^\+84\d{9}$/.test(compact)) national = '0' + compact.slice(3);
  else if (/^84\d{9}$/.test(compact)) national = '0' + compact.slice(2);
  else if (/^0\d{9}$/.test(compact)) national = compact;
  else return INVALID;
  if (!MOBILE_PREFIXES.has(national.slice(0, 3))) {
    return refuse(
      `Đầu số ${national.slice(0, 3)} không phải đầu số di động Việt Nam`,
      `${national.slice(0, 3)} is not a Vietnamese mobile prefix`,
    );
  }
  return accept(national);
}
