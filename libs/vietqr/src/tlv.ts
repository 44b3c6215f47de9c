import { crc16, crc16Ascii, crc16Hex, crcToHex } from './crc16';
import { IssueLog, type DecodeError, type DecodeWarning, where } from './issues';

/**
 * Generic EMVCo Merchant-Presented-Mode TLV codec. A payload is a run of data objects
 * `ID(2 digits) LENGTH(2 digits, 01–99) VALUE`; templates nest the same layout inside a value.
 * Lengths count characters (EMVCo: "the number of characters in the value, not the number of
 * bytes"); the CRC is taken over the UTF-8 bytes.
 */

export const MAX_PAYLOAD_LENGTH = 512;
export const MAX_VALUE_LENGTH = 99;

/** How the lengths of a decoded payload were counted. */
export type LengthUnit = 'characters' | 'utf8-bytes';

/** One decoded data object. */
export class TlvNode {
  /** The nested objects of a template that was decoded, else null. */
  children: readonly TlvNode[] | null = null;

  constructor(
    /** Two-digit ID, meaningful only in its template (`01` at root ≠ `01` inside `62`). */
    readonly id: string,
    /** Tag path of the enclosing template, null at the root. */
    readonly parentTag: string | null,
    /** 0-based offset of the ID in the payload, in the length unit. */
    readonly position: number,
    readonly length: number,
    readonly value: string,
  ) {}

  /** Path from the root, e.g. `62/08` (built on demand: most nodes are never named). */
  get tag(): string {
    return this.parentTag === null ? this.id : `${this.parentTag}/${this.id}`;
  }

  toJSON(): {
    id: string;
    tag: string;
    position: number;
    length: number;
    value: string;
    children: readonly TlvNode[] | null;
  } {
    return {
      id: this.id,
      tag: this.tag,
      position: this.position,
      length: this.length,
      value: this.value,
      children: this.children,
    };
  }
}

export interface EmvDecodeResult {
  /** The payload that was decoded (surrounding whitespace removed). */
  readonly payload: string;
  /** TLV structure, format indicator and CRC are all valid. */
  readonly emvco: boolean;
  readonly crc: { readonly declared: string | null; readonly computed: string | null; readonly valid: boolean };
  readonly lengthUnit: LengthUnit;
  readonly objects: readonly TlvNode[];
  readonly errors: readonly DecodeError[];
  readonly warnings: readonly DecodeWarning[];
}

/** Root IDs whose values are templates: merchant account information 26–51, 62, 64, 80–99. */
export function isTemplateId(id: string): boolean {
  const n = (id.charCodeAt(0) - 48) * 10 + (id.charCodeAt(1) - 48);
  return (n >= 26 && n <= 51) || n === 62 || n === 64 || (n >= 80 && n <= 99);
}

// ---------------------------------------------------------------------------------------------
// Sources: one walker reads a payload by characters or by its UTF-8 bytes. Templates are read
// as ranges of the same source, so positions are absolute and nothing is re-encoded.

/** @internal */
export interface Source {
  readonly length: number;
  /** Character code of unit i when it is one ASCII character, else -1. */
  ascii(i: number): number;
  /** The text of units [start, end), or null when the range splits a character. */
  text(start: number, end: number): string | null;
}

class StringSource implements Source {
  readonly length: number;
  constructor(private readonly s: string) {
    this.length = s.length;
  }
  ascii(i: number): number {
    const c = this.s.charCodeAt(i);
    return c < 0x80 ? c : -1;
  }
  text(start: number, end: number): string {
    return this.s.slice(start, end);
  }
}

/** For strings with characters outside the BMP: one unit per code point. */
class CodePointSource implements Source {
  readonly length: number;
  private readonly units: string[];
  constructor(s: string) {
    this.units = Array.from(s);
    this.length = this.units.length;
  }
  ascii(i: number): number {
    const u = this.units[i];
    return u.length === 1 && u.charCodeAt(0) < 0x80 ? u.charCodeAt(0) : -1;
  }
  text(start: number, end: number): string {
    return this.units.slice(start, end).join('');
  }
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

class Utf8Source implements Source {
  readonly length: number;
  private readonly bytes: Uint8Array;
  constructor(s: string) {
    this.bytes = utf8Encoder.encode(s);
    this.length = this.bytes.length;
  }
  ascii(i: number): number {
    const b = this.bytes[i];
    return b < 0x80 ? b : -1;
  }
  text(start: number, end: number): string | null {
    try {
      return utf8Decoder.decode(this.bytes.subarray(start, end));
    } catch {
      return null;
    }
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;
const NON_ASCII = /[\u0080-\uffff]/;

function sourceFor(text: string, unit: LengthUnit, ascii: boolean): Source {
  if (ascii) return new StringSource(text);
  if (unit === 'utf8-bytes') return new Utf8Source(text);
  return SURROGATE.test(text) ? new CodePointSource(text) : new StringSource(text);
}

/** Number of characters (code points) in a string. */
export function characterLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const IDS: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function levelName(parent: string | null): string {
  return parent === null ? 'root' : `template ${parent}`;
}

/**
 * Reads the objects in units [start, end) of a source. Stops at the first structural error
 * (nothing after it can be trusted); a repeated ID is reported and reading goes on. Returns
 * whether the range was read to its end.
 */
function walk(
  src: Source,
  start: number,
  end: number,
  parent: string | null,
  log: IssueLog,
  nodes: TlvNode[],
): boolean {
  let p = start;
  while (p < end) {
    if (end - p < 4) {
      log.error(
        'TLV_TRUNCATED',
        `${levelName(parent)}: ${end - p} character(s) left at position ${p}, too few for an ID and a length`,
        parent,
        p,
      );
      return false;
    }
    const i0 = src.ascii(p) - 48;
    const i1 = src.ascii(p + 1) - 48;
    if (i0 < 0 || i0 > 9 || i1 < 0 || i1 > 9) {
      log.error(
        'TLV_BAD_ID',
        `${levelName(parent)}: ID "${src.text(p, p + 2) ?? '?'}" at position ${p} is not two digits`,
        parent,
        p,
      );
      return false;
    }
    const id = IDS[i0 * 10 + i1];
    const l0 = src.ascii(p + 2) - 48;
    const l1 = src.ascii(p + 3) - 48;
    if (l0 < 0 || l0 > 9 || l1 < 0 || l1 > 9) {
      const tag = parent === null ? id : `${parent}/${id}`;
      log.error(
        'TLV_BAD_LENGTH',
        `${where(tag, p)}: length "${src.text(p + 2, p + 4) ?? '?'}" is not two digits`,
        tag,
        p,
      );
      return false;
    }
    const length = l0 * 10 + l1;
    if (length === 0) {
      const tag = parent === null ? id : `${parent}/${id}`;
      log.error('TLV_ZERO_LENGTH', `${where(tag, p)}: length 00 (values must be 1–99 long)`, tag, p);
      return false;
    }
    const valueEnd = p + 4 + length;
    if (valueEnd > end) {
      const tag = parent === null ? id : `${parent}/${id}`;
      log.error(
        'TLV_OVERRUN',
        `${where(tag, p)}: length ${length} overruns the ${levelName(parent)} by ${valueEnd - end} (only ${end - p - 4} left)`,
        tag,
        p,
      );
      return false;
    }
    const value = src.text(p + 4, valueEnd);
    if (value === null) {
      const tag = parent === null ? id : `${parent}/${id}`;
      log.error('TLV_SPLIT_CHARACTER', `${where(tag, p)}: length ${length} ends inside a multi-byte character`, tag, p);
      return false;
    }
    for (let k = 0; k < nodes.length; k++) {
      if (nodes[k].id === id) {
        const tag = parent === null ? id : `${parent}/${id}`;
        log.error(
          'TLV_DUPLICATE_TAG',
          `${where(tag, p)}: ID ${id} repeats in the ${levelName(parent)} (first at position ${nodes[k].position})`,
          tag,
          p,
        );
        break;
      }
    }
    nodes.push(new TlvNode(id, parent, p, length, value));
    p = valueEnd;
  }
  return true;
}

/**
 * Decodes a node's value as a template (a nested TLV list) and attaches the result as its
 * children (also when an ID repeats: lookups then see the first). Returns false (children stay
 * null) when the value cannot be read as a TLV list; the reasons go to `log`. Positions are
 * absolute when `source` is the payload's source, else relative to the node.
 */
export function decodeTemplate(node: TlvNode, unit: LengthUnit, log: IssueLog, source?: Source): boolean {
  const children: TlvNode[] = [];
  let complete: boolean;
  if (source !== undefined) {
    const start = node.position + 4;
    complete = walk(source, start, start + node.length, node.tag, log, children);
  } else {
    // Without the payload's source, read the value on its own and shift positions after.
    const own = sourceFor(node.value, unit, !NON_ASCII.test(node.value));
    const scratch: TlvNode[] = [];
    const local = new IssueLog();
    complete = walk(own, 0, own.length, node.tag, local, scratch);
    const shift = node.position + 4;
    for (const c of scratch) children.push(new TlvNode(c.id, c.parentTag, c.position + shift, c.length, c.value));
    for (const e of local.errors) log.errors.push({ ...e, position: e.position === null ? null : e.position + shift });
  }
  if (complete) node.children = children;
  return complete;
}

/** First object with the given ID among siblings. */
export function findObject(objects: readonly TlvNode[] | null, id: string): TlvNode | undefined {
  if (objects === null) return undefined;
  for (let i = 0; i < objects.length; i++) if (objects[i].id === id) return objects[i];
  return undefined;
}

/** @internal Warns once when a level's IDs are not in ascending order (allowed, but unusual). */
export function warnOrder(
  objects: readonly TlvNode[],
  from: number,
  to: number,
  parent: string | null,
  log: IssueLog,
): void {
  for (let i = from + 1; i < to; i++) {
    if (objects[i].id < objects[i - 1].id) {
      log.warn(
        'FIELDS_OUT_OF_ORDER',
        `${levelName(parent)}: ${objects[i].id} at position ${objects[i].position} comes after ${objects[i - 1].id} (allowed, but unusual)`,
        objects[i].tag,
        objects[i].position,
      );
      return;
    }
  }
}

/** EMVCo text limits (ANS fields), checked as warnings: real payloads exceed them and still scan. */
function textLimit(parent: string | null, id: string): number {
  if (parent === null) return id === '59' ? 25 : id === '60' ? 15 : id === '61' ? 10 : 0;
  if (parent === '62') return id === '09' ? 3 : id >= '01' && id <= '08' ? 25 : 0;
  return 0;
}

function checkText(node: TlvNode, ascii: boolean, log: IssueLog): void {
  const limit = textLimit(node.parentTag, node.id);
  if (limit === 0) return;
  const n = ascii ? node.value.length : characterLength(node.value);
  if (n > limit) {
    log.warn(
      'FIELD_TOO_LONG',
      `${where(node.tag, node.position)}: ${n} characters, EMVCo allows ${limit} (accepted, but apps may cut it)`,
      node.tag,
      node.position,
    );
  }
  if (!ascii && NON_ASCII.test(node.value)) {
    log.warn(
      'NON_ASCII_TEXT',
      `${where(node.tag, node.position)}: non-ASCII characters in an ANS field ("${node.value}"); some bank apps reject or garble them`,
      node.tag,
      node.position,
    );
  }
}

/** @internal The full state of a decode, which `decodeVietQr` continues from. */
export interface EmvParse {
  readonly payload: string;
  readonly ascii: boolean;
  readonly unit: LengthUnit;
  readonly source: Source | null;
  readonly objects: TlvNode[];
  /** The root level was read to the end without a structural error. */
  readonly complete: boolean;
  readonly crcDeclared: string | null;
  readonly crcComputed: string | null;
  readonly crcValid: boolean;
  readonly log: IssueLog;
}

function parseRoot(src: Source, unit: LengthUnit, log: IssueLog): { objects: TlvNode[]; complete: boolean } {
  const objects: TlvNode[] = [];
  const complete = walk(src, 0, src.length, null, log, objects);
  for (let i = 0; i < objects.length; i++) {
    const node = objects[i];
    if (!isTemplateId(node.id)) continue;
    if (node.id >= '80') {
      // Unreserved templates should hold TLV with a GUID in 00, but real MoMo QRs carry a bare
      // "80 03 046": keep the raw value and warn instead of rejecting the payload.
      const scratch = new IssueLog();
      if (!decodeTemplate(node, unit, scratch, src) || scratch.errors.length > 0) {
        node.children = null;
        log.warn(
          'TEMPLATE_NOT_TLV',
          `${where(node.tag, node.position)}: unreserved template value "${node.value}" is not a TLV list; kept as raw text`,
          node.tag,
          node.position,
        );
      }
      continue;
    }
    decodeTemplate(node, unit, log, src);
  }
  return { objects, complete };
}

function hasStructuralError(log: IssueLog): boolean {
  for (const e of log.errors) if (e.code.startsWith('TLV_')) return true;
  return false;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Ends in "6304" and four hex digits. */
function hasCrcTail(s: string): boolean {
  const n = s.length;
  return (
    n >= 8 &&
    s.charCodeAt(n - 8) === 54 &&
    s.charCodeAt(n - 7) === 51 &&
    s.charCodeAt(n - 6) === 48 &&
    s.charCodeAt(n - 5) === 52 &&
    isHex(s.charCodeAt(n - 4)) &&
    isHex(s.charCodeAt(n - 3)) &&
    isHex(s.charCodeAt(n - 2)) &&
    isHex(s.charCodeAt(n - 1))
  );
}

/** @internal Decodes an EMVCo MPM payload; never throws. `decodeVietQr` adds the NAPAS rules. */
export function parseEmv(input: string): EmvParse {
  const log = new IssueLog();
  const payload = typeof input === 'string' ? input.trim() : '';
  if (typeof input === 'string' && payload.length !== input.length) {
    log.warn('PAYLOAD_TRIMMED', 'whitespace around the payload was removed before decoding');
  }

  // CRC first: the scan over the bytes also tells whether the payload is pure ASCII.
  let crcDeclared: string | null = null;
  let crcComputed: string | null = null;
  let crcValid = false;
  let ascii: boolean;
  if (hasCrcTail(payload)) {
    crcDeclared = payload.slice(-4);
    const end = payload.length - 4;
    const fast = crc16Ascii(payload, end);
    ascii = fast >= 0;
    crcComputed = crcToHex(ascii ? fast : crc16(payload.slice(0, end)));
    crcValid = crcComputed === crcDeclared || crcComputed === crcDeclared.toUpperCase();
  } else {
    ascii = !NON_ASCII.test(payload);
  }

  const length = ascii ? payload.length : characterLength(payload);
  if (length === 0 || length > MAX_PAYLOAD_LENGTH) {
    if (length === 0) log.error('PAYLOAD_EMPTY', 'the payload is empty');
    else
      log.error('PAYLOAD_TOO_LONG', `the payload has ${length} characters; at most ${MAX_PAYLOAD_LENGTH} are accepted`);
    return {
      payload,
      ascii,
      unit: 'characters',
      source: null,
      objects: [],
      complete: false,
      crcDeclared: null,
      crcComputed: null,
      crcValid: false,
      log,
    };
  }

  // Lengths count characters; a payload whose non-ASCII text was measured in UTF-8 bytes
  // (seen in published fixtures) is re-read that way and flagged.
  let unit: LengthUnit = 'characters';
  let source = sourceFor(payload, unit, ascii);
  let root = parseRoot(source, unit, log);
  if (!ascii && hasStructuralError(log)) {
    const byteLog = new IssueLog();
    for (const w of log.warnings) byteLog.warnings.push(w);
    const byteSource = sourceFor(payload, 'utf8-bytes', false);
    const byteRoot = parseRoot(byteSource, 'utf8-bytes', byteLog);
    if (!hasStructuralError(byteLog)) {
      unit = 'utf8-bytes';
      source = byteSource;
      root = byteRoot;
      log.errors.length = 0;
      log.warnings.length = 0;
      log.errors.push(...byteLog.errors);
      log.warnings.push(...byteLog.warnings);
      log.warn(
        'LENGTH_IN_UTF8_BYTES',
        'lengths only add up when counted in UTF-8 bytes; EMVCo counts characters, so other apps may misread this payload',
      );
    }
  }
  const { objects, complete } = root;
  const crcPosition = source.length - 8;

  if (crcDeclared === null) {
    log.error('CRC_MISSING', 'the payload does not end with the CRC object: "6304" and four hex digits');
  } else if (!crcValid) {
    log.error(
      'CRC_MISMATCH',
      `tag 63 at position ${crcPosition}: CRC ${crcDeclared} does not match ${crcComputed} computed over everything before it`,
      '63',
      crcPosition,
    );
  } else if (crcDeclared !== crcComputed) {
    log.warn(
      'CRC_LOWERCASE',
      `tag 63 at position ${crcPosition}: CRC "${crcDeclared}" is lower-case; accepted, emitted upper-case`,
      '63',
      crcPosition,
    );
  }

  if (objects.length > 0) {
    const first = objects[0];
    if (first.id !== '00') {
      log.error(
        'FORMAT_INDICATOR_NOT_FIRST',
        `tag ${first.id} at position 0: the payload must start with the payload format indicator 00`,
        first.id,
        0,
      );
    } else if (first.value !== '01') {
      log.error(
        'FORMAT_INDICATOR_INVALID',
        `${where('00', 0)}: payload format indicator is "${first.value}", must be "01"`,
        '00',
        0,
      );
    }
    const last = objects[objects.length - 1];
    for (let i = 0; i < objects.length; i++) {
      const node = objects[i];
      if (node.id === '63' && (node !== last || !complete)) {
        log.error(
          'CRC_NOT_LAST',
          `${where('63', node.position)}: the CRC object must be the last object`,
          '63',
          node.position,
        );
      }
    }
    if (complete && crcDeclared !== null && last.id !== '63') {
      log.error(
        'CRC_NOT_LAST',
        `${where(last.tag, last.position)}: the trailing "6304…" is inside this object, not a CRC object of its own`,
        last.tag,
        last.position,
      );
    }
    warnOrder(objects, first.id === '00' ? 1 : 0, last.id === '63' ? objects.length - 1 : objects.length, null, log);
    for (let i = 0; i < objects.length; i++) {
      const node = objects[i];
      checkText(node, ascii, log);
      const children = node.children;
      if (children !== null) {
        warnOrder(children, 0, children.length, node.id, log);
        if (node.id === '62') for (let k = 0; k < children.length; k++) checkText(children[k], ascii, log);
      }
    }
  }

  return { payload, ascii, unit, source, objects, complete, crcDeclared, crcComputed, crcValid, log };
}

/** Decodes any EMVCo MPM payload: TLV tree, CRC, errors and warnings. Never throws. */
export function decodeEmv(payload: string): EmvDecodeResult {
  const parse = parseEmv(payload);
  return {
    payload: parse.payload,
    emvco: parse.log.errors.length === 0,
    crc: { declared: parse.crcDeclared, computed: parse.crcComputed, valid: parse.crcValid },
    lengthUnit: parse.unit,
    objects: parse.objects,
    errors: parse.log.errors,
    warnings: parse.log.warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** One object to encode: a primitive value, or a template given as its objects. */
export interface TlvObject {
  readonly id: string;
  readonly value: string | readonly TlvObject[];
}

export class TlvEncodeError extends Error {
  constructor(
    readonly tag: string,
    message: string,
  ) {
    super(message);
    this.name = 'TlvEncodeError';
  }
}

const LENGTHS: string[] = IDS;
const ID_PATTERN = /^\d\d$/;

/** Encodes objects in the given order; rejects (never pads or wraps) values outside 1–99 characters. */
export function encodeTlv(objects: readonly TlvObject[], parent: string | null = null): string {
  let out = '';
  const seen = new Set<string>();
  for (const object of objects) {
    const tag = parent === null ? object.id : `${parent}/${object.id}`;
    if (!ID_PATTERN.test(object.id)) throw new TlvEncodeError(tag, `ID "${object.id}" must be two digits`);
    if (seen.has(object.id)) throw new TlvEncodeError(tag, `tag ${tag} appears twice`);
    seen.add(object.id);
    const value = typeof object.value === 'string' ? object.value : encodeTlv(object.value, tag);
    const length = characterLength(value);
    if (length < 1 || length > MAX_VALUE_LENGTH) {
      throw new TlvEncodeError(tag, `tag ${tag}: value has ${length} characters; EMVCo allows 1–${MAX_VALUE_LENGTH}`);
    }
    out += object.id + LENGTHS[length] + value;
  }
  return out;
}

/**
 * Encodes a complete payload: `00` first, then the objects, then `63` with the CRC
 * (upper-case, zero-padded) over everything including "6304".
 */
export function encodeEmv(objects: readonly TlvObject[]): string {
  if (objects.length === 0 || objects[0].id !== '00') {
    throw new TlvEncodeError('00', 'the payload format indicator 00 must come first');
  }
  if (objects.some((o) => o.id === '63')) throw new TlvEncodeError('63', 'the CRC object 63 is added by the encoder');
  const body = `${encodeTlv(objects)}6304`;
  const payload = body + crc16Hex(body);
  const length = characterLength(payload);
  if (length > MAX_PAYLOAD_LENGTH) {
    throw new TlvEncodeError('63', `payload has ${length} characters; at most ${MAX_PAYLOAD_LENGTH} are accepted`);
  }
  return payload;
}
