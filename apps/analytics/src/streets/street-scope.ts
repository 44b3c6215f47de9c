import type { FieldError } from '@cashless/observability';
import { addDays } from '../kpi/calendar';

/**
 * Which streets, and which of their days, a report covers. Administrative units are dated: on
 * 1 Jul 2025 phường Tân Bình and Tân Phú merged into phường Bình Phước. Reports are by current
 * units, so a street counts under its current ward for its whole history; a former ward can still
 * be chosen, and then covers its streets only for the days they lay in it.
 */

/** A street as the merchant service's registry (`GET /api/v1/streets`) describes it. */
export interface RegistryStreet {
  id: string;
  name: string;
  ward: RegistryWard | null;
  history: { ward: RegistryWard; validFrom: string | null; validTo: string | null }[];
  targetBusinesses: number | null;
  targetDate: string | null;
}

export interface RegistryWard {
  id: string;
  name: string;
  kind: string | null;
  province: string | null;
}

/** A ward a street lay in, with the days it did (null = open-ended). */
export interface WardPeriod {
  ward: RegistryWard;
  validFrom: string | null;
  validTo: string | null;
  current: boolean;
}

export function wardPeriods(street: RegistryStreet): WardPeriod[] {
  const former = street.history.map((h) => ({ ...h, current: false }));
  if (!street.ward) return former;
  // The registry gives the current link without dates: it starts the day after the last former one ends.
  const lastEnd = former.reduce<string | null>(
    (max, h) => (h.validTo && (!max || h.validTo > max) ? h.validTo : max),
    null,
  );
  return [
    ...former,
    { ward: street.ward, validFrom: lastEnd ? addDays(lastEnd, 1) : null, validTo: null, current: true },
  ];
}

/** One street of a report: the days of it that count, and the ward it is reported under. */
export interface AreaSegment {
  street: RegistryStreet;
  wardName: string | null;
  wardId: string | null;
  from: string;
  to: string;
}

export interface ScopeQuery {
  from: string;
  to: string;
  streetId?: string;
  wardId?: string;
}

export type ScopeResult = { ok: true; segments: AreaSegment[] } | { ok: false; errors: FieldError[] };

const fmt = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export function resolveScope(streets: readonly RegistryStreet[], query: ScopeQuery): ScopeResult {
  let candidates = [...streets];
  if (query.streetId !== undefined) {
    candidates = candidates.filter((s) => s.id === query.streetId);
    if (candidates.length === 0) {
      return {
        ok: false,
        errors: [{ field: 'streetId', message: { vi: 'Không có tuyến phố này', en: 'No such street' } }],
      };
    }
  }
  if (query.wardId === undefined) {
    return {
      ok: true,
      segments: candidates.map((street) => ({
        street,
        wardName: street.ward?.name ?? null,
        wardId: street.ward?.id ?? null,
        from: query.from,
        to: query.to,
      })),
    };
  }
  const periods = candidates.flatMap((street) =>
    wardPeriods(street)
      .filter((p) => p.ward.id === query.wardId)
      .map((p) => ({ street, period: p })),
  );
  if (periods.length === 0) {
    return {
      ok: false,
      errors: [
        {
          field: 'wardId',
          message:
            query.streetId === undefined
              ? { vi: 'Không có tuyến phố nào thuộc phường/xã này', en: 'No street lies or lay in this ward' }
              : { vi: 'Tuyến phố này không thuộc phường/xã này', en: 'This street does not lie in this ward' },
        },
      ],
    };
  }
  const segments: AreaSegment[] = [];
  for (const { street, period } of periods) {
    // A current ward covers its streets' whole history; a former one only its own days.
    const from = !period.current && period.validFrom && period.validFrom > query.from ? period.validFrom : query.from;
    const to = !period.current && period.validTo && period.validTo < query.to ? period.validTo : query.to;
    if (from <= to) segments.push({ street, wardName: period.ward.name, wardId: period.ward.id, from, to });
  }
  if (segments.length === 0) {
    const ended = periods.map((p) => p.period.validTo).find((d) => d !== null);
    return {
      ok: false,
      errors: [
        {
          field: 'wardId',
          message: ended
            ? {
                vi: `Phường/xã này chỉ tồn tại đến ${fmt(ended)}; hãy chọn khoảng thời gian trước ngày đó hoặc phường/xã hiện nay`,
                en: `This ward existed until ${fmt(ended)}; choose a period before then, or the current ward`,
              }
            : {
                vi: 'Phường/xã này chưa tồn tại trong khoảng thời gian đã chọn',
                en: 'This ward did not exist in the chosen period',
              },
        },
      ],
    };
  }
  return { ok: true, segments };
}

/** Every ward of the registry, current and former, with its streets: what the dashboard's filter lists. */
export function wardsOf(streets: readonly RegistryStreet[]): {
  id: string;
  name: string;
  kind: string | null;
  province: string | null;
  current: boolean;
  validTo: string | null;
  streetIds: string[];
}[] {
  const wards = new Map<string, ReturnType<typeof wardsOf>[number]>();
  for (const street of streets) {
    for (const period of wardPeriods(street)) {
      const entry = wards.get(period.ward.id) ?? {
        ...period.ward,
        current: period.current,
        validTo: period.validTo,
        streetIds: [],
      };
      entry.current ||= period.current;
      if (period.current) entry.validTo = null;
      entry.streetIds.push(street.id);
      wards.set(period.ward.id, entry);
    }
  }
  return [...wards.values()].sort(
    (a, b) => Number(b.current) - Number(a.current) || a.name.localeCompare(b.name, 'vi'),
  );
}
