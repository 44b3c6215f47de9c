/**
 * Paging through the officers' long lists with the APIs' keyset cursors. Pure, so it is
 * unit-tested without a browser.
 */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

export interface Page<T> {
  rows: T[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** A list answer of either shape: `{ data, nextCursor }`, or an array with the cursor in a header. */
export function pageOf<T>(body: unknown, headerCursor: string | null): Page<T> {
  if (Array.isArray(body)) return { rows: body as T[], nextCursor: headerCursor || null };
  if (body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data)) {
    const { data, nextCursor } = body as { data: T[]; nextCursor?: unknown };
    return { rows: data, nextCursor: typeof nextCursor === 'string' && nextCursor ? nextCursor : null };
  }
  throw new TypeError('not a list answer');
}

/** `path` asking for the page after `cursor` (the path's own query kept). */
export function withCursor(path: string, cursor: string | null): string {
  if (!cursor) return path;
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

/**
 * The rows shown after loading one more page: the new rows appended, any row already shown (by
 * id) kept once, in its first place, with its newer copy.
 */
export function appendPage<T extends { id: string }>(shown: readonly T[], page: readonly T[]): T[] {
  const fresh = new Map(page.map((row) => [row.id, row]));
  const kept = shown.map((row) => fresh.get(row.id) ?? row);
  const known = new Set(shown.map((row) => row.id));
  return [...kept, ...page.filter((row) => !known.has(row.id))];
}
