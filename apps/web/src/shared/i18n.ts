import { createContext, useContext } from 'react';

/** Vietnamese first, English on request; the choice is kept on the device. */
export type Lang = 'vi' | 'en';

export interface Localized {
  vi: string;
  en: string;
}

const KEY = 'cashless.lang';

export function storedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

export function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>('vi');

/** `t({vi, en})` in the page's language. */
export function useT(): { lang: Lang; t: (text: Localized) => string } {
  const lang = useContext(LangContext);
  return { lang, t: (text) => text[lang] };
}

/** Strings shared by several pages. */
export const common = {
  programme: { vi: 'Tuyến phố không dùng tiền mặt', en: 'Cashless shopping streets' },
  switchLanguage: { vi: 'English', en: 'Tiếng Việt' },
  switchLanguageLabel: { vi: 'Switch to English', en: 'Chuyển sang tiếng Việt' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  retry: { vi: 'Thử lại', en: 'Retry' },
  logout: { vi: 'Đăng xuất', en: 'Log out' },
} satisfies Record<string, Localized>;

/** A merchant's status as both the shop owner and officers read it. */
export const merchantStatuses = {
  pending: { vi: 'Chờ duyệt', en: 'Waiting for review' },
  active: { vi: 'Đang hoạt động', en: 'Active' },
  rejected: { vi: 'Bị từ chối', en: 'Rejected' },
  suspended: { vi: 'Tạm ngừng', en: 'Suspended' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
} satisfies Record<string, Localized>;
