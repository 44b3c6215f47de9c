/**
 * Opaque cursors for keyset pagination over `(timestamp DESC, id DESC)`: the client gets the
 * position of the last row it saw, not an offset, so pages stay stable while rows are added and a
 * deep page costs the same as the first. The position keeps milliseconds: the timestamp column
 * must be written with millisecond precision (from a JS Date), or rows sharing a millisecond with
 * the cursor could be skipped.
 */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** The position in a cursor, or undefined when it is not one this codec wrote. */
export function decodeCursor(cursor: string): KeysetPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(text);
  if (!match) return undefined;
  const at = new Date(match[1]);
  return Number.isNaN(at.getTime()) ? undefined : { at, id: match[2] };
}

/**
 * Splits a page fetched with `LIMIT limit + 1`: the extra row only says there is a next page,
 * whose cursor is the position of the last row returned.
 */
export function keysetPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => KeysetPosition,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
