import { inflateSync } from 'node:zlib';

/**
 * Minimal PNG reader for tests: 8-bit RGBA or RGB, or 1-bit indexed colour; non-interlaced; all
 * five filter types.
 */
export interface Image {
  readonly width: number;
  readonly height: number;
  /** True where the pixel is dark (luma < 128). */
  dark(x: number, y: number): boolean;
  colour(x: number, y: number): [number, number, number];
}

export function readPng(png: Uint8Array): Image {
  const buf = Buffer.from(png);
  if (buf.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 8;
  let colourType = 6;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.subarray(offset + 4, offset + 8).toString('latin1');
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8];
      colourType = data[9];
      if (data[12] !== 0) throw new Error('interlaced PNGs are not supported');
      const ok = (bitDepth === 8 && (colourType === 6 || colourType === 2)) || (bitDepth === 1 && colourType === 3);
      if (!ok) throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}`);
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  // Bytes per pixel for filtering (at least 1), bytes per row.
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 1;
  const bpp = bitDepth === 8 ? channels : 1;
  const stride = bitDepth === 8 ? width * channels : Math.ceil(width / 8);
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? pixels[y * stride + i - bpp] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] : 0;
      let value: number;
      if (filter === 0) value = x;
      else if (filter === 1) value = x + a;
      else if (filter === 2) value = x + b;
      else if (filter === 3) value = x + Math.floor((a + b) / 2);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad filter ${filter}`);
      pixels[y * stride + i] = value & 0xff;
    }
  }
  const rgb = (x: number, y: number): [number, number, number] => {
    if (bitDepth === 1) {
      const index = (pixels[y * stride + (x >> 3)] >> (7 - (x & 7))) & 1;
      if (palette === null) throw new Error('indexed PNG without palette');
      return [palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]];
    }
    const i = y * stride + x * channels;
    return [pixels[i], pixels[i + 1], pixels[i + 2]];
  };
  return {
    width,
    height,
    colour: rgb,
    dark: (x, y) => {
      const [r, g, b] = rgb(x, y);
      return 0.299 * r + 0.587 * g + 0.114 * b < 128;
    },
  };
}

/**
 * Reads the format information of a QR symbol from its module matrix (ISO/IEC 18004 §7.9):
 * 15 bits next to the top-left finder, masked with 101010000010010. Returns the error
 * correction level and mask, or null when the BCH check fails.
 */
export function readFormat(
  module: (row: number, col: number) => boolean,
): { level: 'L' | 'M' | 'Q' | 'H'; mask: number } | null {
  const positions: [number, number][] = [
    [8, 0],
    [8, 1],
    [8, 2],
    [8, 3],
    [8, 4],
    [8, 5],
    [8, 7],
    [8, 8],
    [7, 8],
    [5, 8],
    [4, 8],
    [3, 8],
    [2, 8],
    [1, 8],
    [0, 8],
  ];
  let bits = 0;
  for (const [row, col] of positions) bits = (bits << 1) | (module(row, col) ? 1 : 0);
  bits ^= 0b101010000010010;
  // BCH(15,5) with generator 10100110111: the remainder of the whole word must be 0.
  let rem = bits;
  for (let i = 14; i >= 10; i--) if (rem & (1 << i)) rem ^= 0b10100110111 << (i - 10);
  if (rem !== 0) return null;
  const level = (['M', 'L', 'H', 'Q'] as const)[bits >> 13];
  return { level, mask: (bits >> 10) & 7 };
}
