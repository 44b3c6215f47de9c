/**
 * Rules for officers' edits of the dated administrative units (pure). Dates are calendar days
 * `YYYY-MM-DD`, inclusive; null is open-ended (see streets/street-wards.ts).
 */
export interface Period {
  validFrom: string | null;
  validTo: string | null;
}

export const UNIT_KINDS = {
  province: ['tỉnh', 'thành phố'],
  ward: ['phường', 'xã', 'đặc khu', 'thị trấn'],
} as const;

export type NewUnitLevel = keyof typeof UNIT_KINDS;

/** A real calendar day written `YYYY-MM-DD` (2025-02-30 is not one). */
export function isIsoDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Whether two inclusive periods share at least one day. */
export function periodsOverlap(a: Period, b: Period): boolean {
  const startsBeforeBEnds = a.validFrom === null || b.validTo === null || a.validFrom <= b.validTo;
  const bStartsBeforeAEnds = b.validFrom === null || a.validTo === null || b.validFrom <= a.validTo;
  return startsBeforeBEnds && bStartsBeforeAEnds;
}

export type EndProblem =
  | { field: 'validTo'; problem: 'already_ended' | 'before_start' }
  | { field: 'successorIds'; index: number; problem: 'unknown' | 'self' | 'other_level' | 'wrong_start' };

/**
 * Ending `unit` on `validTo` (its last day) in favour of `successors`: each must exist, be a
 * different unit of the same level and start the day after.
 */
export function checkEnd(
  unit: Period & { id: string; level: string },
  validTo: string,
  successorIds: readonly string[],
  successors: ReadonlyMap<string, Period & { level: string }>,
): EndProblem[] {
  const problems: EndProblem[] = [];
  if (unit.validTo !== null) problems.push({ field: 'validTo', problem: 'already_ended' });
  else if (unit.validFrom !== null && validTo < unit.validFrom)
    problems.push({ field: 'validTo', problem: 'before_start' });
  const start = nextDay(validTo);
  successorIds.forEach((id, index) => {
    const successor = successors.get(id);
    if (id === unit.id) problems.push({ field: 'successorIds', index, problem: 'self' });
    else if (!successor) problems.push({ field: 'successorIds', index, problem: 'unknown' });
    else if (successor.level !== unit.level) problems.push({ field: 'successorIds', index, problem: 'other_level' });
    else if (successor.validFrom !== start) problems.push({ field: 'successorIds', index, problem: 'wrong_start' });
  });
  return problems;
}
