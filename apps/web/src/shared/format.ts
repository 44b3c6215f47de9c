/**
 * How the pages write numbers, money and dates for Vietnamese readers: `1.234.567 ₫`
 * (Intl puts a no-break space before ₫), `dd/MM/yyyy`, days in Asia/Ho_Chi_Minh.
 */
import type { Lang } from './i18n';

const locale = (lang: Lang) => (lang === 'vi' ? 'vi-VN' : 'en-GB');

export function formatVnd(amount: number, lang: Lang = 'vi'): string {
  if (lang === 'vi') return new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND' }).format(amount);
  return `${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(amount)} ₫`;
}

export function formatNumber(value: number, lang: Lang = 'vi', digits = 0): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value);
}

/** A share (0.375) as a percentage ("37,5 %" / "37.5%"). */
export function formatShare(value: number, lang: Lang = 'vi'): string {
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** A percentage change (12.5) with its sign. */
export function formatChange(percent: number, lang: Lang = 'vi'): string {
  const text = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(
    percent,
  );
  return `${text} %`;
}

/** `2025-06-01` → `01/06/2025`. */
export function formatDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** `2025-06-01` → `06/2025`. */
export function formatMonth(day: string): string {
  return `${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** Today in Vietnam as `YYYY-MM-DD`, whatever the device's time zone. */
export function vietnamToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function monthEnd(month: string): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1, 0);
  return d.toISOString().slice(0, 10);
}

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant's time of day in Vietnam, `HH:mm:ss`. */
export function formatTime(at: string | Date): string {
  return clock.format(new Date(at));
}

/** An instant in Vietnam, `dd/MM/yyyy HH:mm`. */
export function formatDateTime(at: string | Date): string {
  const date = new Date(at);
  return `${formatDay(vietnamToday(date))} ${formatTime(date).slice(0, 5)}`;
}
