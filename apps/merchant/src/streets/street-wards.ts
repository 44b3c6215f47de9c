/**
 * Dated administrative units (reference/domain.md §2.6): wards and provinces have validity
 * periods and successors, and a street keeps every ward it has belonged to. On 1 Jul 2025 Hùng
 * Vương moved from phường Tân Bình (tỉnh Bình Phước) to phường Bình Phước (tỉnh Đồng Nai) without
 * anyone moving a brick; old boards and reports still name the old ward.
 *
 * Dates are calendar days (YYYY-MM-DD) in Vietnam; `validFrom`/`validTo` are inclusive and null
 * means open-ended.
 */
export interface AdminUnit {
  id: string;
  level: 'province' | 'district' | 'ward';
  kind: string | null;
  name: string;
  parentId: string | null;
}

export interface StreetWardLink {
  wardId: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface WardView {
  id: string;
  name: string;
  kind: string | null;
  district: string | null;
  province: string | null;
  provinceId: string | null;
}

export interface StreetWards {
  /** The ward the street lies in today; null when no link covers today. */
  current: WardView | null;
  /** Every other period, oldest first. */
  history: { ward: WardView; validFrom: string | null; validTo: string | null }[];
}

const VIETNAM_UTC_OFFSET_MS = 7 * 3600_000;

/** Today's date in Vietnam (UTC+7 all year, no daylight saving). */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

export function covers(link: { validFrom: string | null; validTo: string | null }, day: string): boolean {
  return (link.validFrom === null || link.validFrom <= day) && (link.validTo === null || day <= link.validTo);
}

/** A ward with the district and province above it, found by walking parent links. */
export function wardView(wardId: string, units: ReadonlyMap<string, AdminUnit>): WardView {
  const ward = units.get(wardId);
  if (!ward) throw new Error(`unknown administrative unit ${wardId}`);
  let district: AdminUnit | undefined;
  let province: AdminUnit | undefined;
  const seen = new Set<string>();
  for (let unit = ward.parentId ? units.get(ward.parentId) : undefined; unit && !seen.has(unit.id);) {
    seen.add(unit.id);
    if (unit.level === 'district') district ??= unit;
    if (unit.level === 'province') {
      province = unit;
      break;
    }
    unit = unit.parentId ? units.get(unit.parentId) : undefined;
  }
  return {
    id: ward.id,
    name: ward.name,
    kind: ward.kind,
    district: district?.name ?? null,
    province: province?.name ?? null,
    provinceId: province?.id ?? null,
  };
}

export function resolveStreetWards(
  links: readonly StreetWardLink[],
  units: ReadonlyMap<string, AdminUnit>,
  today: string,
): StreetWards {
  const sorted = [...links].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  const currentLink = sorted.find((l) => covers(l, today));
  return {
    current: currentLink ? wardView(currentLink.wardId, units) : null,
    history: sorted
      .filter((l) => l !== currentLink)
      .map((l) => ({ ward: wardView(l.wardId, units), validFrom: l.validFrom, validTo: l.validTo })),
  };
}
