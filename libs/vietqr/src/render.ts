import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

export type ErrorCorrectionLevel = 'L' | 'M' | 'Q' | 'H';

export interface RenderOptions {
  /**
   * Default `Q` (recovers ~25 % of damaged modules). Boards hang outdoors on shop fronts: they
   * get scratched, dirty, bent, laminated (glare) and partly covered; `Q` keeps a VietQR
   * payload (≈ 90–180 characters) at version 6–10, whose modules stay about 1 mm wide on a
   * 6 cm print, well within phone cameras' reach. `H` grows the symbol for little gain; `M`
   * (the qrcode default) recovers only ~15 %.
   */
  readonly errorCorrectionLevel?: ErrorCorrectionLevel;
  /** Quiet zone in modules; ISO/IEC 18004 requires at least 4, so smaller values are rejected. */
  readonly margin?: number;
  /** PNG pixels per module. Default 10: ≈ 5–6 cm at 300 dpi. (SVG is vector: no pixel size.) */
  readonly scale?: number;
  /** Dark and light colours as #RRGGBB or #RRGGBBAA. Default black on white (best contrast). */
  readonly dark?: string;
  readonly light?: string;
}

export const PRINT_RENDER_DEFAULTS = {
  errorCorrectionLevel: 'Q',
  margin: 4,
  scale: 10,
  dark: '#000000',
  light: '#ffffff',
} as const satisfies Required<RenderOptions>;

interface Resolved {
  readonly errorCorrectionLevel: ErrorCorrectionLevel;
  readonly margin: number;
  readonly scale: number;
  readonly dark: readonly [number, number, number, number];
  readonly light: readonly [number, number, number, number];
  readonly darkHex: string;
  readonly lightHex: string;
}

const COLOUR = /^#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$/;

function colour(value: string, name: string): readonly [number, number, number, number] {
  const match = COLOUR.exec(value);
  if (match === null) throw new RangeError(`${name} colour must be #RRGGBB or #RRGGBBAA, got "${value}"`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, match[2] === undefined ? 255 : parseInt(match[2], 16)];
}

function resolve(options: RenderOptions): Resolved {
  const o = { ...PRINT_RENDER_DEFAULTS, ...options };
  if (!Number.isInteger(o.margin) || o.margin < 4 || o.margin > 100) {
    throw new RangeError(`quiet zone must be at least 4 modules (ISO/IEC 18004), got ${o.margin}`);
  }
  if (!Number.isInteger(o.scale) || o.scale < 1 || o.scale > 100) {
    throw new RangeError(`scale must be a whole number of pixels per module (1–100), got ${o.scale}`);
  }
  if (!['L', 'M', 'Q', 'H'].includes(o.errorCorrectionLevel)) {
    throw new RangeError(`error correction level must be L, M, Q or H, got ${String(o.errorCorrectionLevel)}`);
  }
  return {
    errorCorrectionLevel: o.errorCorrectionLevel,
    margin: o.margin,
    scale: o.scale,
    dark: colour(o.dark, 'dark'),
    light: colour(o.light, 'light'),
    darkHex: o.dark,
    lightHex: o.light,
  };
}

/**
 * The QR symbol of a payload, built by `qrcode` (mode segmentation, Reed–Solomon error
 * correction, mask choice): `size`×`size` modules, `dark(row, col)`.
 */
export interface QrSymbol {
  readonly size: number;
  readonly version: number;
  readonly errorCorrectionLevel: ErrorCorrectionLevel;
  dark(row: number, col: number): boolean;
}

export function qrSymbol(payload: string, errorCorrectionLevel: ErrorCorrectionLevel = 'Q'): QrSymbol {
  const qr = QRCode.create(payload, { errorCorrectionLevel });
  const { size, data } = qr.modules;
  return { size, version: qr.version, errorCorrectionLevel, dark: (row, col) => data[row * size + col] === 1 };
}

/** Modules per side of the symbol for a payload, quiet zone excluded. */
export function qrModuleCount(payload: string, errorCorrectionLevel: ErrorCorrectionLevel = 'Q'): number {
  return qrSymbol(payload, errorCorrectionLevel).size;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * PNG of the payload's QR code: the symbol from `qrcode`, written as a 1-bit two-colour image
 * (a module is exactly `scale` pixels, no anti-aliasing), a fraction of the size and time of an
 * 8-bit RGBA image.
 */
export async function renderPng(payload: string, options: RenderOptions = {}): Promise<Buffer> {
  return renderPngSync(payload, options);
}

export function renderPngSync(payload: string, options: RenderOptions = {}): Buffer {
  const o = resolve(options);
  const symbol = QRCode.create(payload, { errorCorrectionLevel: o.errorCorrectionLevel }).modules;
  const modules = symbol.size + 2 * o.margin;
  const width = modules * o.scale;
  const rowBytes = Math.ceil(width / 8);
  // One row of pixels per module row, repeated `scale` times; filter byte 0 (none) per row.
  const raw = Buffer.alloc((rowBytes + 1) * width);
  const row = new Uint8Array(rowBytes);
  for (let r = 0; r < modules; r++) {
    row.fill(0);
    const mr = r - o.margin;
    if (mr >= 0 && mr < symbol.size) {
      for (let c = 0; c < symbol.size; c++) {
        if (symbol.data[mr * symbol.size + c] !== 1) continue;
        const x0 = (c + o.margin) * o.scale;
        for (let x = x0; x < x0 + o.scale; x++) row[x >> 3] |= 0x80 >> (x & 7);
      }
    }
    for (let k = 0; k < o.scale; k++) raw.set(row, (r * o.scale + k) * (rowBytes + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header.set([1, 3, 0, 0, 0], 8); // bit depth 1, indexed colour, deflate, no filter, no interlace
  const palette = Uint8Array.from([...o.light.slice(0, 3), ...o.dark.slice(0, 3)]); // index 0 light, 1 dark
  const parts = [PNG_SIGNATURE, chunk('IHDR', header), chunk('PLTE', palette)];
  if (o.light[3] !== 255 || o.dark[3] !== 255) parts.push(chunk('tRNS', Uint8Array.from([o.light[3], o.dark[3]])));
  parts.push(chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** SVG of the payload's QR code, drawn by `qrcode`; vector, sized by its view box. */
export async function renderSvg(payload: string, options: RenderOptions = {}): Promise<string> {
  const o = resolve(options);
  return QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: o.errorCorrectionLevel,
    margin: o.margin,
    color: { dark: o.darkHex, light: o.lightHex },
  });
}
