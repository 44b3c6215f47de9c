import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { qrSymbol, renderSvg } from '@cashless/vietqr';
import { formatBoardCode } from './board-code';

/** Everything printed on a board; no phone, tax id or full account number. */
export interface BoardContent {
  payload: string;
  boardCode: string;
  shopName: string;
  accountHolder: string;
  maskedAccount: string;
  bankShortName: string | null;
  street: string;
}

export const PROGRAMME_NAME = 'Tuyến phố không dùng tiền mặt';
export const PROGRAMME_NAME_EN = 'Cashless street';

export function checkPayeeLine(holder: string): { vi: string; en: string } {
  return {
    vi: `Kiểm tra tên người nhận “${holder}” trong ứng dụng ngân hàng trước khi thanh toán.`,
    en: `Check the payee name “${holder}” in your banking app before paying.`,
  };
}

/** A5 portrait, in millimetres; the QR is 84 mm (modules ≈ 2 mm at version 6–10, level Q). */
const A5 = { width: 148, height: 210 } as const;
const QR = { x: 32, y: 54, size: 84 } as const;
const GREEN = '#0b6e4f';

export interface BoardFonts {
  regular: Buffer;
  bold: Buffer;
}

/**
 * DejaVu Sans (every Vietnamese glyph), read once at boot so a missing font stops the service
 * instead of failing the first print. From `BOARD_FONT_DIR` when set, else from the
 * `dejavu-fonts-ttf` package resolved from the working directory (the repository root under
 * `npm start`, Jest and the container image): `createRequire` on `process.cwd()`, because the
 * app is compiled to CommonJS and also run as ESM under Jest, so neither `__dirname` nor
 * `import.meta` is available in both.
 */
export function loadBoardFonts(dir = process.env.BOARD_FONT_DIR): BoardFonts {
  const path = (file: string) =>
    dir ? join(dir, file) : createRequire(join(process.cwd(), 'index.js')).resolve(`dejavu-fonts-ttf/ttf/${file}`);
  return { regular: readFileSync(path('DejaVuSans.ttf')), bold: readFileSync(path('DejaVuSans-Bold.ttf')) };
}

function xml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

/** Greedy word wrap by an estimated glyph width (0.56 em, DejaVu Sans' average), ellipsis past `maxLines`. */
export function wrapText(text: string, fontSize: number, width: number, maxLines: number): string[] {
  const perLine = Math.max(4, Math.floor(width / (fontSize * 0.56)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const pieces = word.length > perLine ? (word.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? [word]) : [word];
    for (const piece of pieces) {
      if (line && line.length + 1 + piece.length > perLine) {
        lines.push(line);
        line = piece;
      } else {
        line = line ? `${line} ${piece}` : piece;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1].slice(0, perLine - 1).trimEnd()}…`;
  return kept;
}

function svgText(lines: string[], x: number, y: number, size: number, lineHeight: number, attrs: string): string {
  return lines
    .map(
      (l, i) => `<text x="${x}" y="${(y + i * lineHeight).toFixed(2)}" font-size="${size}" ${attrs}>${xml(l)}</text>`,
    )
    .join('');
}

/** The QR alone, as `renderSvg` draws it (level Q, 4-module quiet zone), placed in the board. */
async function nestedQr(payload: string): Promise<string> {
  const svg = await renderSvg(payload);
  return svg.replace(/^<svg /, `<svg x="${QR.x}" y="${QR.y}" width="${QR.size}" height="${QR.size}" `);
}

/** The A5 board as SVG (vector, sized in millimetres; fonts from the viewer, DejaVu Sans first). */
export async function renderBoardSvg(board: BoardContent): Promise<string> {
  const cx = A5.width / 2;
  const centre = 'text-anchor="middle"';
  const payee = checkPayeeLine(board.accountHolder);
  const bank = board.bankShortName ? `${board.bankShortName} · ` : '';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${A5.width}mm" height="${A5.height}mm" viewBox="0 0 ${A5.width} ${A5.height}"`,
    ` font-family="'DejaVu Sans', Arial, sans-serif">`,
    `<title>${xml(`${board.shopName} — ${PROGRAMME_NAME}`)}</title>`,
    `<rect width="${A5.width}" height="${A5.height}" fill="#ffffff"/>`,
    `<rect x="0" y="0" width="${A5.width}" height="24" fill="${GREEN}"/>`,
    svgText([PROGRAMME_NAME], cx, 11, 6, 0, `${centre} font-weight="bold" fill="#ffffff"`),
    svgText(wrapText(board.street, 4.2, 130, 1), cx, 18.5, 4.2, 0, `${centre} fill="#ffffff"`),
    svgText(wrapText(board.shopName, 8, 132, 2), cx, 36, 8, 9, `${centre} font-weight="bold" fill="#000000"`),
    await nestedQr(board.payload),
    svgText(['Chủ tài khoản · Account holder'], cx, 144, 3.4, 0, `${centre} fill="#555555"`),
    svgText(wrapText(board.accountHolder, 6, 132, 1), cx, 151, 6, 0, `${centre} font-weight="bold"`),
    svgText([`${bank}STK ${board.maskedAccount}`], cx, 158, 4.4, 0, centre),
    `<rect x="8" y="163" width="132" height="25" rx="2" fill="#fff4d6" stroke="#c98a00" stroke-width="0.6"/>`,
    svgText(wrapText(payee.vi, 4, 124, 3), cx, 169.5, 4, 5, `${centre} font-weight="bold"`),
    svgText(wrapText(payee.en, 2.8, 132, 1), cx, 185, 2.8, 0, `${centre} fill="#333333"`),
    svgText(
      [`Mã bảng · Board code: ${formatBoardCode(board.boardCode)}`],
      cx,
      197,
      5,
      0,
      `${centre} font-weight="bold"`,
    ),
    svgText(
      ['Tra cứu mã bảng trên trang kiểm tra của chương trình · Verify this board on the programme’s check page'],
      cx,
      203.5,
      2.6,
      0,
      `${centre} fill="#555555"`,
    ),
    '</svg>',
  ];
  return parts.join('');
}

const MM = 72 / 25.4;

/**
 * The A5 board as PDF: DejaVu Sans embedded (subset), the QR drawn as vector rectangles from the
 * symbol `qrcode` builds for the library's print settings (level Q, 4-module quiet zone). The
 * PDF title is the shop name, so viewers and search show it.
 */
export function renderBoardPdf(board: BoardContent, fonts: BoardFonts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A5',
    margin: 0,
    info: { Title: board.shopName, Subject: PROGRAMME_NAME, Keywords: formatBoardCode(board.boardCode) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const W = A5.width * MM;
  const text = (
    value: string,
    yMm: number,
    sizeMm: number,
    options: { font?: 'regular' | 'bold'; color?: string; lines?: number; widthMm?: number } = {},
  ) => {
    const width = (options.widthMm ?? 132) * MM;
    const size = sizeMm * MM;
    doc
      .font(options.font ?? 'regular')
      .fontSize(size)
      .fillColor(options.color ?? '#000000')
      .text(value, (W - width) / 2, yMm * MM, {
        width,
        align: 'center',
        height: size * 1.2 * (options.lines ?? 1),
        ellipsis: true,
        lineGap: 0,
      });
  };
  const payee = checkPayeeLine(board.accountHolder);
  const bank = board.bankShortName ? `${board.bankShortName} · ` : '';

  doc.rect(0, 0, W, 24 * MM).fill(GREEN);
  text(PROGRAMME_NAME, 5.5, 6, { font: 'bold', color: '#ffffff' });
  text(board.street, 14.5, 4.2, { color: '#ffffff' });
  text(board.shopName, 28, 8, { font: 'bold', lines: 2 });

  const symbol = qrSymbol(board.payload, 'Q');
  const quiet = 4;
  const module = (QR.size * MM) / (symbol.size + 2 * quiet);
  const x0 = QR.x * MM + quiet * module;
  const y0 = QR.y * MM + quiet * module;
  for (let r = 0; r < symbol.size; r++) {
    let c = 0;
    while (c < symbol.size) {
      if (!symbol.dark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < symbol.size && symbol.dark(r, c)) c++;
      doc.rect(x0 + start * module, y0 + r * module, (c - start) * module, module);
    }
  }
  doc.fill('#000000');

  text('Chủ tài khoản · Account holder', 141, 3.4, { color: '#555555' });
  text(board.accountHolder, 146, 6, { font: 'bold' });
  text(`${bank}STK ${board.maskedAccount}`, 154.5, 4.4);
  doc
    .roundedRect(8 * MM, 163 * MM, 132 * MM, 25 * MM, 2 * MM)
    .lineWidth(0.6 * MM)
    .fillAndStroke('#fff4d6', '#c98a00');
  text(payee.vi, 165.5, 4, { font: 'bold', lines: 3, widthMm: 124 });
  text(payee.en, 182, 3.1, { color: '#333333', widthMm: 124 });
  text(`Mã bảng · Board code: ${formatBoardCode(board.boardCode)}`, 192.5, 5, { font: 'bold' });
  text(
    'Tra cứu mã bảng trên trang kiểm tra của chương trình · Verify this board on the programme’s check page',
    200.5,
    2.6,
    { color: '#555555', widthMm: 140 },
  );
  doc.end();
  return done;
}
