import { findBankByBinNumber } from './banks';
import { asciiBytes, crc16Bytes } from './crc16';
import { NAPAS_AMOUNT_LIMIT, NAPAS_GUID, SERVICE_CODE_ACCOUNT, SERVICE_CODE_CARD } from './napas';
import { MAX_PAYLOAD_LENGTH, type TlvNode } from './tlv';
import type { Bank } from './banks';
import type { TransferService, VietQrDecodeResult, VietQrFields } from './vietqr-decode';

/**
 * The fast path of `decodeVietQr`, for the common case: an ASCII payload that is a clean
 * VietQR — every rule met and none of the quirks that earn a warning. It walks the payload
 * once into integer scratch arrays (no object or substring per TLV object), checks the same
 * rules as the full decoder, and cuts out only the strings the result needs. At the first
 * thing that is not clean it returns null, and the full decoder — the reference, which names
 * every error and warning — decodes the payload instead. A property test holds the two paths
 * to identical results on valid, mutated and real-world payloads.
 */

const BYTES = new Uint8Array(MAX_PAYLOAD_LENGTH);
const CAPACITY = 160; // 512 characters hold at most 128 objects of 4+ characters
const ID = new Int32Array(CAPACITY);
const POS = new Int32Array(CAPACITY);
const LEN = new Int32Array(CAPACITY);
const FIRST_CHILD = new Int32Array(CAPACITY);
const END_CHILD = new Int32Array(CAPACITY);

/**
 * Records the objects in [start, end) from index n on; returns the new count, or -1 when the
 * range is malformed or its IDs are not strictly ascending (which also rules out duplicates).
 */
function scan(b: Uint8Array, start: number, end: number, n: number): number {
  let p = start;
  let previous = -1;
  while (p < end) {
    if (end - p < 4 || n >= CAPACITY) return -1;
    const i0 = b[p] - 48;
    const i1 = b[p + 1] - 48;
    const l0 = b[p + 2] - 48;
    const l1 = b[p + 3] - 48;
    if (i0 < 0 || i0 > 9 || i1 < 0 || i1 > 9 || l0 < 0 || l0 > 9 || l1 < 0 || l1 > 9) return -1;
    const id = i0 * 10 + i1;
    const length = l0 * 10 + l1;
    const valueEnd = p + 4 + length;
    if (length === 0 || valueEnd > end || id <= previous) return -1;
    ID[n] = id;
    POS[n] = p + 4;
    LEN[n] = length;
    FIRST_CHILD[n] = -1;
    END_CHILD[n] = -1;
    previous = id;
    n++;
    p = valueEnd;
  }
  return n;
}

function isTemplate(id: number): boolean {
  return (id >= 26 && id <= 51) || id === 62 || id === 64 || (id >= 80 && id <= 99);
}

function digits(b: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) {
    const c = b[i];
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function printable(b: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) {
    const c = b[i];
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** Two characters at `at` as one number, compared with the PAIR_ constants in one step. */
function pairAt(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

const PAIR_01 = 0x3031;
const PAIR_11 = 0x3131;
const PAIR_12 = 0x3132;
const PAIR_VN = 0x564e;
const PAIR_63 = 0x3633;
const PAIR_04 = 0x3034;
const PAIR_70 = 0x3730;

function equals(b: Uint8Array, at: number, length: number, expected: string): boolean {
  if (length !== expected.length) return false;
  for (let i = 0; i < length; i++) if (b[at + i] !== expected.charCodeAt(i)) return false;
  return true;
}

/** Value of 4 upper-case hex digits at `at`, or -1 (lower case is a warning: full path). */
function upperHex(b: Uint8Array, at: number): number {
  let value = 0;
  for (let i = at; i < at + 4; i++) {
    const c = b[i];
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    value = (value << 4) | d;
  }
  return value;
}

function text(s: string, record: number): string | null {
  return record < 0 ? null : s.slice(POS[record], POS[record] + LEN[record]);
}

export function decodeCleanVietQr(
  payload: string,
  materialize: (payload: string) => readonly TlvNode[],
): VietQrDecodeResult | null {
  const s = payload;
  const total = s.length;
  if (total < 8 || total > MAX_PAYLOAD_LENGTH) return null;
  // One native copy of the payload into bytes; not all ASCII → full path.
  const b = BYTES;
  if (asciiBytes(s, b) < 0) return null;
  if (b[0] <= 32 || b[total - 1] <= 32) return null; // whitespace to trim: full path

  // CRC object last, upper-case, matching (a lower-case one is a warning: full path).
  if (pairAt(b, total - 8) !== PAIR_63 || pairAt(b, total - 6) !== PAIR_04) return null;
  if (upperHex(b, total - 4) !== crc16Bytes(b, total - 4)) return null;

  // Root: strictly ascending IDs (so 00 first, no repeats, no 63 before the CRC object).
  const rootCount = scan(b, 0, total - 8, 0);
  if (rootCount <= 0 || ID[0] !== 0 || LEN[0] !== 2 || pairAt(b, POS[0]) !== PAIR_01) return null;
  let count = rootCount;
  let poi = -1;
  let mcc = -1;
  let currency = -1;
  let amount = -1;
  let country = -1;
  let name = -1;
  let city = -1;
  let additional = -1;
  let napas = -1;
  for (let r = 0; r < rootCount; r++) {
    const id = ID[r];
    if (isTemplate(id)) {
      const end = scan(b, POS[r], POS[r] + LEN[r], count);
      if (end < 0) return null;
      FIRST_CHILD[r] = count;
      END_CHILD[r] = end;
      if (id <= 51 && end > count && ID[count] === 0) {
        // A merchant account template: is its GUID the NAPAS one?
        if (equals(b, POS[count], LEN[count], NAPAS_GUID)) {
          if (napas >= 0 || id !== 38) return null;
          napas = r;
        } else if (LEN[count] === NAPAS_GUID.length && text(s, count)?.toUpperCase() === NAPAS_GUID) {
          return null;
        }
      }
      count = end;
    }
    switch (id) {
      case 1:
        poi = r;
        break;
      case 52:
        mcc = r;
        break;
      case 53:
        currency = r;
        break;
      case 54:
        amount = r;
        break;
      case 55:
      case 56:
      case 57:
        return null; // tips and fees: left to the full decoder
      case 58:
        country = r;
        break;
      case 59:
        name = r;
        if (LEN[r] > 25) return null;
        break;
      case 60:
        city = r;
        if (LEN[r] > 15) return null;
        break;
      case 61:
        if (LEN[r] > 10) return null;
        break;
      case 62:
        additional = r;
        break;
      case 63:
        return null; // a second CRC object before the last one
    }
  }
  if (napas < 0 || poi < 0 || currency < 0 || country < 0) return null;

  // 62: EMVCo length limits of 01–08 (25) and 09 (3).
  let bill = -1;
  let reference = -1;
  let purpose = -1;
  if (additional >= 0) {
    for (let c = FIRST_CHILD[additional]; c < END_CHILD[additional]; c++) {
      const id = ID[c];
      if (id >= 1 && id <= 8 && LEN[c] > 25) return null;
      if (id === 9 && LEN[c] > 3) return null;
      if (id === 1) bill = c;
      else if (id === 5) reference = c;
      else if (id === 8) purpose = c;
    }
  }

  // 38: 00 GUID, 01 beneficiary (00 BIN, 01 account), 02 service code; nothing else.
  let beneficiary = -1;
  let serviceCode: string | null = null;
  let service: TransferService | null = null;
  for (let c = FIRST_CHILD[napas] + 1; c < END_CHILD[napas]; c++) {
    const id = ID[c];
    if (id === 1) beneficiary = c;
    else if (id === 2) {
      if (equals(b, POS[c], LEN[c], SERVICE_CODE_ACCOUNT)) {
        serviceCode = SERVICE_CODE_ACCOUNT;
        service = 'account';
      } else if (equals(b, POS[c], LEN[c], SERVICE_CODE_CARD)) {
        serviceCode = SERVICE_CODE_CARD;
        service = 'card';
      } else if (equals(b, POS[c], LEN[c], 'QRPUSH') || equals(b, POS[c], LEN[c], 'QRCASH')) {
        serviceCode = text(s, c);
      } else return null;
    } else return null;
  }
  if (beneficiary < 0) return null;
  const beneficiaryEnd = scan(b, POS[beneficiary], POS[beneficiary] + LEN[beneficiary], count);
  if (beneficiaryEnd !== count + 2 || ID[count] !== 0 || ID[count + 1] !== 1) return null;
  const binAt = count;
  const accountAt = count + 1;
  if (LEN[binAt] !== 6) return null;
  let binNumber = 0;
  for (let i = POS[binAt]; i < POS[binAt] + 6; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return null;
    binNumber = binNumber * 10 + d;
  }
  const bank = findBankByBinNumber(binNumber);
  // BINs with a leading zero would lose it as a number: compare the text to be sure.
  if (bank === undefined || !equals(b, POS[binAt], 6, bank.bin)) return null;
  const bankBin = bank.bin;
  const accountLength = LEN[accountAt];
  if (accountLength > 19) return null;
  if (service === 'card' ? !digits(b, POS[accountAt], accountLength) : !printable(b, POS[accountAt], accountLength)) {
    return null;
  }

  // Root rules: 01 = 11 | 12, 53 = 704, 58 = VN, 54 = whole đồng, non-zero, below the ceiling,
  // and a point of initiation that agrees with the amount.
  if (LEN[poi] !== 2 || LEN[currency] !== 3 || LEN[country] !== 2) return null;
  const initiation = pairAt(b, POS[poi]);
  const dynamic = initiation === PAIR_12;
  if (!dynamic && initiation !== PAIR_11) return null;
  if (pairAt(b, POS[currency]) !== PAIR_70 || b[POS[currency] + 2] !== 52) return null; // "704"
  if (pairAt(b, POS[country]) !== PAIR_VN) return null;
  let amountText: string | null = null;
  if (amount >= 0) {
    let length = LEN[amount];
    if (length > 13) return null;
    const start = POS[amount];
    if (b[start + length - 1] === 46) length--;
    if (length === 0) return null;
    let value = 0;
    for (let i = start; i < start + length; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
    }
    if (value === 0 || value >= NAPAS_AMOUNT_LIMIT) return null;
    amountText = s.slice(start, start + length);
  }
  if (dynamic !== (amountText !== null)) return null;

  const fields: VietQrFields = {
    initiation: dynamic ? 'dynamic' : 'static',
    bankBin,
    bankShortName: bank.shortName,
    account: text(s, accountAt),
    service,
    amount: amountText,
    currency: '704',
    country: 'VN',
    purpose: text(s, purpose),
    billNumber: text(s, bill),
    referenceLabel: text(s, reference),
    merchantName: text(s, name),
    merchantCity: text(s, city),
    mcc: text(s, mcc),
  };
  return new CleanResult(fields, serviceCode, bank, payload, materialize);
}

/**
 * The result of a clean decode. A class, not an object literal: a getter in a literal makes
 * V8 build the object the slow way (hundreds of nanoseconds, more than the whole decode).
 */
class CleanResult implements VietQrDecodeResult {
  readonly crcValid = true;
  readonly emvco = true;
  readonly vietqr = true;
  readonly transfer: boolean;
  readonly errors: readonly [] = [];
  readonly warnings: readonly [] = [];
  readonly pointOfInitiation: string;
  readonly napasTemplateId = '38';
  readonly lengthUnit = 'characters';
  readonly fields: VietQrFields;
  readonly serviceCode: string | null;
  readonly bank: Bank;
  readonly #payload: string;
  readonly #materialize: (payload: string) => readonly TlvNode[];
  #objects: readonly TlvNode[] | undefined;

  constructor(
    fields: VietQrFields,
    serviceCode: string | null,
    bank: Bank,
    payload: string,
    materialize: (payload: string) => readonly TlvNode[],
  ) {
    this.fields = fields;
    this.serviceCode = serviceCode;
    this.bank = bank;
    this.transfer = fields.service !== null;
    this.pointOfInitiation = fields.initiation === 'dynamic' ? '12' : '11';
    this.#payload = payload;
    this.#materialize = materialize;
  }

  /** The TLV tree, built only when someone asks for it. */
  get objects(): readonly TlvNode[] {
    return (this.#objects ??= this.#materialize(this.#payload));
  }

  toJSON(): VietQrDecodeResult {
    return { ...this, objects: this.objects };
  }
}
