import { describe, expect, it } from '@jest/globals';
import { encodeVietQr, renderSvg } from '@cashless/vietqr';
import { BoardContent, PROGRAMME_NAME, loadBoardFonts, renderBoardPdf, renderBoardSvg, wrapText } from './board-render';

const payload = encodeVietQr({ bankBin: '970436', account: '0071001234567', initiation: 'static' });
const board: BoardContent = {
  payload,
  boardCode: '7K2M9Q4T',
  shopName: 'Phở Bắc Hải Ký <&> "Đặc biệt"',
  accountHolder: 'NGUYEN VAN HAI',
  maskedAccount: '****4567',
  bankShortName: 'Vietcombank',
  street: 'Hùng Vương',
};

describe('board rendering', () => {
  it('SVG: A5, the QR exactly as the library draws it for the payload, and every printed line (escaped)', async () => {
    const svg = await renderBoardSvg(board);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="148mm" height="210mm"/);
    const qrPath = /<path stroke="#000000" d="([^"]+)"/.exec(await renderSvg(payload))![1];
    expect(svg).toContain(qrPath);
    for (const text of [
      'Phở Bắc Hải Ký &lt;&amp;&gt; &quot;Đặc biệt&quot;',
      PROGRAMME_NAME,
      'Hùng Vương',
      'NGUYEN VAN HAI',
      'Vietcombank · STK ****4567',
      '7K2M-9Q4T',
      'Kiểm tra tên người nhận',
      'trước khi thanh toán',
    ]) {
      expect(svg).toContain(text);
    }
    expect(svg).not.toContain('0071001234567');
    expect(svg).not.toContain('<&>');
  });

  it('PDF: a PDF with the shop name as its title and the Vietnamese font embedded', async () => {
    const pdf = await renderBoardPdf(board, loadBoardFonts());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const utf16be = Buffer.from(`\ufeff${board.shopName}`, 'utf16le').swap16();
    expect(pdf.includes(utf16be) || pdf.includes(Buffer.from(board.shopName))).toBe(true);
    expect(pdf.toString('latin1')).toContain('DejaVuSans');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 419\.5\d* 595\.2\d*\]/);
  });

  it('wraps long names to a fixed number of lines with an ellipsis', () => {
    expect(wrapText('Phở Hùng', 8, 132, 2)).toEqual(['Phở Hùng']);
    const lines = wrapText('Cửa hàng '.repeat(30).trim(), 8, 132, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(wrapText('x'.repeat(100), 8, 132, 3).every((l) => l.length <= 29)).toBe(true);
  });
});
