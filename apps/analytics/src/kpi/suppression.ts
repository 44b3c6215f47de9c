/**
 * Small-cell suppression (privacy rule of the city dashboard): a figure about payments that rests
 * on fewer than three merchants could reveal one shop's takings, so it is withheld. A cell with no
 * merchant at all says nothing about any shop and is shown (as zero).
 */
export const MIN_MERCHANTS_PER_CELL = 3;

export function isSmallCell(merchants: number): boolean {
  return merchants > 0 && merchants < MIN_MERCHANTS_PER_CELL;
}

export interface SuppressibleRow {
  /** Merchants with at least one payment in the cell. */
  merchants: number;
  /** What a reader could subtract from the total to recover a withheld cell. */
  paymentsValue: number;
  suppressed?: boolean;
}

/**
 * Marks small cells of one breakdown (rows that add up to a published total). When exactly one
 * row is withheld, the total minus the others would give it away, so the smallest other non-empty
 * row is withheld too (complementary suppression).
 */
export function suppressBreakdown<T extends SuppressibleRow>(rows: T[]): (T & { suppressed: boolean })[] {
  const marked = rows.map((r) => ({ ...r, suppressed: isSmallCell(r.merchants) }));
  if (marked.filter((r) => r.suppressed).length === 1) {
    const candidates = marked.filter((r) => !r.suppressed && r.merchants > 0);
    candidates.sort((a, b) => a.paymentsValue - b.paymentsValue || a.merchants - b.merchants);
    if (candidates[0]) candidates[0].suppressed = true;
  }
  return marked;
}

/** The payment figures of a cell, or nulls when the cell is withheld. */
export function maskPayments<T extends object>(figures: T, suppressed: boolean): { [K in keyof T]: T[K] | null } {
  if (!suppressed) return figures;
  return Object.fromEntries(Object.keys(figures).map((k) => [k, null])) as { [K in keyof T]: null };
}
