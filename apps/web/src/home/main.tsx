import { createRoot } from 'react-dom/client';
import { Page } from '../shared/Page';
import '../shared/styles.css';

const pages = [
  {
    href: '/merchant',
    title: { vi: 'Cửa hàng', en: 'Shop owners' },
    text: { vi: 'Đăng ký, bảng QR, thông báo nhận tiền', en: 'Register, QR board, payment notices' },
  },
  {
    href: '/check',
    title: { vi: 'Kiểm tra bảng QR', en: 'Check a QR board' },
    text: { vi: 'Người mua kiểm tra bảng QR thật hay giả', en: 'Shoppers check that a board is genuine' },
  },
  {
    href: '/officer',
    title: { vi: 'Cán bộ', en: 'Officers' },
    text: { vi: 'Duyệt cửa hàng, xử lý báo cáo', en: 'Review shops, handle reports' },
  },
  {
    href: '/city',
    title: { vi: 'Giám sát thành phố', en: 'City dashboard' },
    text: { vi: 'Mức độ tham gia, giao dịch, chiến dịch', en: 'Adoption, payments, campaigns' },
  },
];

function Home() {
  return (
    <Page title={{ vi: 'Trang chủ', en: 'Home' }}>
      {(lang) => (
        <nav aria-label={lang === 'vi' ? 'Các trang' : 'Pages'} className="links">
          {pages.map((p) => (
            <a key={p.href} href={p.href}>
              <strong>{p.title[lang]}</strong>
              {p.text[lang]}
            </a>
          ))}
        </nav>
      )}
    </Page>
  );
}

createRoot(document.getElementById('root')!).render(<Home />);
