import type { LocalizedText } from '@cashless/observability';
import type { MerchantStatus } from '../merchants/merchant-status';

/**
 * What a shopper is told about a board or a scanned QR:
 * - `genuine`: a registered payout account of an active merchant, still in use;
 * - `inactive`: registered, but the merchant is not (or no longer) active, or the account was
 *   switched off: do not pay into it;
 * - `unknown`: a well-formed board code or a valid VietQR whose account is not registered in the
 *   programme (a swapped sticker looks exactly like this);
 * - `invalid`: not a board code at all, or not a valid VietQR.
 */
export type BoardVerdict = 'genuine' | 'inactive' | 'unknown' | 'invalid';

export interface BoardState {
  merchantStatus: MerchantStatus;
  accountActive: boolean;
}

export function decideVerdict(board: BoardState | null): BoardVerdict {
  if (board === null) return 'unknown';
  return board.merchantStatus === 'active' && board.accountActive ? 'genuine' : 'inactive';
}

export const VERDICT_MESSAGES: Record<BoardVerdict, LocalizedText> = {
  genuine: {
    vi: 'Bảng QR đã đăng ký và đang hoạt động. Hãy kiểm tra tên người nhận trong ứng dụng ngân hàng trùng với tên chủ tài khoản trước khi thanh toán.',
    en: 'A registered board in use. Check that the payee name in your banking app matches the account holder before paying.',
  },
  inactive: {
    vi: 'Bảng QR này không còn hiệu lực (cửa hàng hoặc tài khoản đã ngừng). Không chuyển tiền; hãy hỏi chủ cửa hàng.',
    en: 'This board is no longer valid (the shop or the account has stopped). Do not pay; ask the shop owner.',
  },
  unknown: {
    vi: 'Không tìm thấy bảng QR này trong chương trình. Có thể mã QR đã bị dán đè: không chuyển tiền và hãy báo cho cửa hàng.',
    en: 'This board is not registered in the programme. The QR may have been covered or swapped: do not pay, and tell the shop.',
  },
  invalid: {
    vi: 'Không phải mã bảng hoặc mã VietQR hợp lệ. Hãy kiểm tra lại ký tự đã nhập hoặc quét lại.',
    en: 'Not a valid board code or VietQR. Check what you typed, or scan again.',
  },
};
