/**
 * The officer page's checks that need no browser: dates typed `dd/mm/yyyy`, the campaign and
 * street-target forms checked like the API checks them, and the API's field errors mapped onto
 * the form's fields. Unit-tested directly.
 */
import type { Localized } from '../shared/i18n';

export type FieldErrors<F extends string> = Partial<Record<F, Localized>>;

const required: Localized = { vi: 'Bắt buộc', en: 'Required' };
const badDay: Localized = {
  vi: 'Ngày theo dạng dd/mm/yyyy, là một ngày có thật',
  en: 'A real date written dd/mm/yyyy',
};

/**
 * A date typed the Vietnamese way (`1/6/2026`, `01/06/2026`, `01-06-2026`, `01.06.2026`) →
 * `2026-06-01`, or null when it is not a real calendar day.
 */
export function parseDisplayDay(typed: string): string | null {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(typed.trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** `2026-06-01` → `01/06/2026` (what the fields show and accept). */
export function displayDay(iso: string | null): string {
  return iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '';
}

export interface CampaignDraft {
  name: string;
  startDate: string;
  endDate: string;
  monthsBefore: string;
}

export type CampaignField = keyof CampaignDraft;

export interface NewCampaign {
  name: string;
  startDate: string;
  endDate: string;
  monthsBefore: number;
}

/** The campaign form → the API's body, or the errors per field (same rules as the city API). */
export function checkCampaign(
  draft: CampaignDraft,
): { ok: true; body: NewCampaign } | { ok: false; errors: FieldErrors<CampaignField> } {
  const errors: FieldErrors<CampaignField> = {};
  const name = draft.name.normalize('NFC').trim();
  if (!name) errors.name = required;
  else if (name.length > 200) errors.name = { vi: 'Tối đa 200 ký tự', en: 'At most 200 characters' };
  const startDate = parseDisplayDay(draft.startDate);
  const endDate = parseDisplayDay(draft.endDate);
  if (!draft.startDate.trim()) errors.startDate = required;
  else if (!startDate) errors.startDate = badDay;
  if (!draft.endDate.trim()) errors.endDate = required;
  else if (!endDate) errors.endDate = badDay;
  else if (startDate && endDate < startDate) {
    errors.endDate = { vi: 'Ngày kết thúc phải sau ngày bắt đầu', en: 'The end must not be before the start' };
  }
  const months = Number(draft.monthsBefore);
  if (!/^\d{1,2}$/.test(draft.monthsBefore.trim()) || months < 1 || months > 24) {
    errors.monthsBefore = { vi: 'Từ 1 đến 24 tháng', en: '1 to 24 months' };
  }
  if (Object.keys(errors).length > 0 || !startDate || !endDate) return { ok: false, errors };
  return { ok: true, body: { name, startDate, endDate, monthsBefore: months } };
}

export interface TargetDraft {
  targetBusinesses: string;
  targetDate: string;
}

export type TargetField = keyof TargetDraft;

/**
 * A street's target form → the API's body (`PUT /streets/:id/target`): both empty clears the
 * target; a date without a number is refused rather than silently dropped.
 */
export function checkTarget(
  draft: TargetDraft,
):
  | { ok: true; body: { targetBusinesses: number | null; targetDate: string | null } }
  | { ok: false; errors: FieldErrors<TargetField> } {
  const raw = draft.targetBusinesses.trim();
  // Dots and spaces group thousands ("1.200"); "12.5" is not read as 125.
  const typed = /^\d{1,3}([.\s]\d{3})+$/.test(raw) ? raw.replace(/[.\s]/g, '') : raw;
  const dateTyped = draft.targetDate.trim();
  const errors: FieldErrors<TargetField> = {};
  if (!typed && !dateTyped) return { ok: true, body: { targetBusinesses: null, targetDate: null } };
  if (!typed) errors.targetBusinesses = { vi: 'Nhập số cửa hàng cần đạt', en: 'Enter the number of shops' };
  else if (!/^\d{1,7}$/.test(typed) || Number(typed) > 1_000_000) {
    errors.targetBusinesses = { vi: 'Số nguyên từ 0 đến 1.000.000', en: 'A whole number from 0 to 1,000,000' };
  }
  const targetDate = dateTyped ? parseDisplayDay(dateTyped) : null;
  if (dateTyped && !targetDate) errors.targetDate = badDay;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { targetBusinesses: Number(typed), targetDate } };
}

/**
 * The API's field errors (`{ field, message }`) placed on the form's fields; the rest (a field
 * the form does not have) is returned apart to be shown with the form.
 */
export function placeFieldErrors<F extends string>(
  fields: readonly { field: string; message: Localized }[],
  known: readonly F[],
): { errors: FieldErrors<F>; other: Localized[] } {
  const errors: FieldErrors<F> = {};
  const other: Localized[] = [];
  for (const { field, message } of fields) {
    const name = known.find((k) => k === field);
    if (name && !errors[name]) errors[name] = message;
    else if (!name) other.push({ vi: `${field}: ${message.vi}`, en: `${field}: ${message.en}` });
  }
  return { errors, other };
}
