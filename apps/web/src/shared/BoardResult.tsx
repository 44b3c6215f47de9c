import { getJson, sendJson } from './api';
import { useT } from './i18n';
import type { Localized } from './i18n';

/** What `GET /boards/:code` and `POST /boards/verify` answer (never the phone, tax id or full account). */
export interface BoardVerification {
  boardCode: string | null;
  shopName: string | null;
  street: string | null;
  accountHolder: string | null;
  maskedAccount: string | null;
  bankShortName: string | null;
  status: string | null;
  active: boolean;
  verdict: 'genuine' | 'inactive' | 'unknown' | 'invalid';
  message: Localized;
}

/** A pasted QR payload is verified as scanned; anything short is taken as a typed board code. */
export async function checkBoard(input: string): Promise<BoardVerification> {
  const value = input.trim();
  return value.length > 20
    ? (await sendJson<BoardVerification>('POST', '/boards/verify', { payload: value }))!
    : getJson<BoardVerification>(`/boards/${encodeURIComponent(value)}`);
}

const text = {
  shop: { vi: 'Cửa hàng', en: 'Shop' },
  street: { vi: 'Tuyến phố', en: 'Street' },
  holder: { vi: 'Chủ tài khoản', en: 'Account holder' },
  account: { vi: 'Tài khoản', en: 'Account' },
  boardCode: { vi: 'Mã bảng', en: 'Board code' },
  state: { vi: 'Trạng thái', en: 'State' },
  active: { vi: 'Đang hoạt động', en: 'Active' },
  notActive: { vi: 'Không hoạt động', en: 'Not active' },
  verdict: {
    genuine: { vi: 'Bảng QR thật', en: 'Genuine board' },
    inactive: { vi: 'Không thanh toán: bảng đã ngừng', en: 'Do not pay: board no longer in use' },
    unknown: {
      vi: 'Cảnh báo: QR không thuộc cửa hàng đã đăng ký',
      en: 'Warning: this QR belongs to no registered shop',
    },
    invalid: { vi: 'Không phải mã bảng hoặc VietQR hợp lệ', en: 'Not a valid board code or VietQR' },
  },
} satisfies Record<string, Localized | Record<string, Localized>>;

/** A board check's answer, in large type: what a shopper compares with the banking app's screen. */
export function BoardResult({ result }: { result: BoardVerification }) {
  const { t } = useT();
  const rows: [Localized, string | null][] = [
    [text.shop, result.shopName],
    [text.street, result.street],
    [text.holder, result.accountHolder],
    [text.account, [result.bankShortName, result.maskedAccount].filter(Boolean).join(' ') || null],
    [text.boardCode, result.boardCode],
    [
      text.state,
      result.verdict === 'invalid' || result.verdict === 'unknown'
        ? null
        : t(result.active ? text.active : text.notActive),
    ],
  ];
  return (
    <section
      className={`card verdict verdict-${result.verdict}`}
      data-testid="board-result"
      data-verdict={result.verdict}
      aria-live="polite"
    >
      <h2>{t(text.verdict[result.verdict])}</h2>
      <p>{t(result.message)}</p>
      <dl className="kpis">
        {rows
          .filter(([, value]) => value)
          .map(([label, value]) => (
            <div key={label.en} style={{ display: 'contents' }}>
              <dt>{t(label)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
