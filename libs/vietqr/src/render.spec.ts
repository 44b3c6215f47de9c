import { describe, expect, it } from '@jest/globals';
import QRCode from 'qrcode';
import { readFormat, readPng } from '../test/png';
import { qrModuleCount, qrSymbol, renderPng, renderPngSync, renderSvg } from './render';
import { encodeVietQr } from './vietqr-encode';

const payload = encodeVietQr({
  bankBin: '970436',
  account: '0011001932418',
  amount: 50000,
  paymentCode: 'CS7K2M9Q',
  purpose: 'Pho bo',
  merchantName: 'QUAN PHO HUNG VUONG',
  merchantCity: 'DONG XOAI',
});

describe('rendering', () => {
  it('draws a PNG of exactly the qrcode symbol, with a 4-module quiet zone, at level Q', async () => {
    const png = await renderPng(payload);
    const image = readPng(png);
    const symbol = qrSymbol(payload, 'Q');
    const scale = 10;
    expect(image.width).toBe((symbol.size + 8) * scale);
    expect(image.height).toBe(image.width);
    // Every module, sampled at its centre, matches the symbol; the quiet zone is all light.
    let mismatches = 0;
    for (let row = -4; row < symbol.size + 4; row++) {
      for (let col = -4; col < symbol.size + 4; col++) {
        const inside = row >= 0 && col >= 0 && row < symbol.size && col < symbol.size;
        const expected = inside && symbol.dark(row, col);
        const x = (col + 4) * scale + scale / 2;
        const y = (row + 4) * scale + scale / 2;
        // Module edges too: a module is exactly `scale` pixels, no blur.
        if (
          image.dark(x, y) !== expected ||
          image.dark((col + 4) * scale, (row + 4) * scale + scale - 1) !== expected
        ) {
          mismatches++;
        }
      }
    }
    expect(mismatches).toBe(0);
    // Read back the format information from the pixels: the symbol really uses level Q.
    const module = (row: number, col: number) =>
      image.dark((4 + col) * scale + scale / 2, (4 + row) * scale + scale / 2);
    expect(readFormat(module)?.level).toBe('Q');
  });

  it('draws pixel for pixel what qrcode’s own PNG renderer draws', async () => {
    const ours = readPng(renderPngSync(payload, { scale: 4, errorCorrectionLevel: 'M' }));
    const reference = readPng(await QRCode.toBuffer(payload, { scale: 4, margin: 4, errorCorrectionLevel: 'M' }));
    expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
    let different = 0;
    for (let y = 0; y < ours.height; y++)
      for (let x = 0; x < ours.width; x++) if (ours.dark(x, y) !== reference.dark(x, y)) different++;
    expect(different).toBe(0);
  });

  it('lets a caller choose another level, scale and colours, but never drop the quiet zone', async () => {
    const image = readPng(
      await renderPng(payload, { errorCorrectionLevel: 'H', scale: 4, dark: '#1a237e', light: '#fffde7' }),
    );
    expect(image.width).toBe((qrModuleCount(payload, 'H') + 8) * 4);
    const module = (row: number, col: number) => image.dark((4 + col) * 4 + 2, (4 + row) * 4 + 2);
    expect(readFormat(module)?.level).toBe('H');
    expect(image.colour(0, 0)).toEqual([0xff, 0xfd, 0xe7]);
    expect(image.colour(4 * 4, 4 * 4)).toEqual([0x1a, 0x23, 0x7e]);
    expect(qrModuleCount(payload, 'H')).toBeGreaterThan(qrModuleCount(payload, 'M'));
    await expect(renderPng(payload, { margin: 2 })).rejects.toThrow(/at least 4 modules/);
    await expect(renderPng(payload, { scale: 0 })).rejects.toThrow(/scale/);
    await expect(renderSvg(payload, { dark: 'black' })).rejects.toThrow(/#RRGGBB/);
  });

  it('keeps the PNG small: one bit per pixel', async () => {
    const png = await renderPng(payload);
    expect(png.length).toBeLessThan(8000);
  });

  it('draws an SVG of the same symbol with the quiet zone in its view box', async () => {
    const svg = await renderSvg(payload);
    const size = qrModuleCount(payload, 'Q') + 8;
    expect(svg).toMatch(new RegExp(`^<svg [^>]*viewBox="0 0 ${size} ${size}"`));
    // The first dark run starts at module 4 of row 4 (the finder pattern inside the quiet zone).
    expect(svg).toContain('M4 4.5h7');
    expect(svg).toContain('fill="#ffffff"');
  });

  it('keeps a typical checkout payload small enough to print at 6 cm', () => {
    expect(payload.length).toBeGreaterThan(120);
    expect(qrModuleCount(payload, 'Q')).toBeLessThanOrEqual(57);
  });
});
