import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, keysetPage } from './keyset-cursor';

describe('keyset cursors', () => {
  it('round-trip any position', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        fc.uuid(),
        (at, id) => {
          expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
        },
      ),
    );
  });

  it.each(['', 'not a cursor', 'Zm9vfGJhcg', '%%%', 'a'.repeat(201)])('reject %p', (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });

  it('cut a page and point after its last row', () => {
    const rows = [1, 2, 3].map((n) => ({
      n,
      at: new Date(Date.UTC(2026, 0, n)),
      id: `00000000-0000-4000-8000-00000000000${n}`,
    }));
    const page = keysetPage(rows, 2, (r) => r);
    expect(page.data.map((r) => r.n)).toEqual([1, 2]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ at: rows[1].at, id: rows[1].id });
    expect(keysetPage(rows, 3, (r) => r).nextCursor).toBeNull();
  });
});
