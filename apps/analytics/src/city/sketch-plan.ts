import { addDays, bucketsOf, monthEnd, monthStart, weekStart } from '../kpi/calendar';

/** One stored sketch to read: a street's shoppers of a day, an ISO week or a month. */
export interface SketchPiece {
  period: 'day' | 'week' | 'month';
  streetId: string;
  start: string;
}

/**
 * The fewest stored sketches that cover a street's days [from, to] exactly: whole months inside
 * the range as month sketches, then whole weeks, then single days.
 */
export function sketchPieces(segment: { streetId: string; from: string; to: string }): SketchPiece[] {
  const pieces: SketchPiece[] = [];
  const { streetId, to } = segment;
  let day = segment.from;
  while (day <= to) {
    if (day === monthStart(day) && monthEnd(day) <= to) {
      pieces.push({ period: 'month', streetId, start: day });
      day = addDays(monthEnd(day), 1);
    } else if (day === weekStart(day) && addDays(day, 6) <= to && !splitsWholeMonth(addDays(day, 6), to)) {
      pieces.push({ period: 'week', streetId, start: day });
      day = addDays(day, 7);
    } else {
      pieces.push({ period: 'day', streetId, start: day });
      day = addDays(day, 1);
    }
  }
  return pieces;
}

/** A week ending on `weekEnd` would take the first days of a month that lies whole in the range. */
function splitsWholeMonth(weekEnd: string, to: string): boolean {
  return monthStart(weekEnd) !== monthStart(addDays(weekEnd, -6)) && monthEnd(weekEnd) <= to;
}

/** A street's days [from, to] as whole months plus the days around them (for monthly tables). */
export function splitWholeMonths(segment: { streetId: string; from: string; to: string }): {
  months: { streetId: string; month: string }[];
  days: { streetId: string; from: string; to: string }[];
} {
  const { streetId } = segment;
  const buckets = bucketsOf('month', segment.from, segment.to);
  return {
    months: buckets.filter((b) => !b.partial).map((b) => ({ streetId, month: b.start })),
    days: buckets.filter((b) => b.partial).map((b) => ({ streetId, from: b.from, to: b.to })),
  };
}
