import { describe, expect, it } from '@jest/globals';
import { appendPage, pageOf, withCursor } from './paging';

describe('paging through officer lists', () => {
  it('reads both list shapes: { data, nextCursor } and rows with an x-next-cursor header', () => {
    expect(pageOf([{ id: 'a' }], 'abc')).toEqual({ rows: [{ id: 'a' }], nextCursor: 'abc' });
    expect(pageOf([{ id: 'a' }], null)).toEqual({ rows: [{ id: 'a' }], nextCursor: null });
    expect(pageOf({ data: [{ id: 'b' }], nextCursor: 'n1' }, null)).toEqual({ rows: [{ id: 'b' }], nextCursor: 'n1' });
    expect(pageOf({ data: [], nextCursor: null }, null)).toEqual({ rows: [], nextCursor: null });
    expect(() => pageOf({ error: {} }, null)).toThrow(TypeError);
  });

  it('asks for the next page with the cursor, keeping the filters', () => {
    expect(withCursor('/merchants?status=pending&limit=50', 'MjAy_-')).toBe(
      '/merchants?status=pending&limit=50&cursor=MjAy_-',
    );
    expect(withCursor('/fraud-reports', 'x')).toBe('/fraud-reports?cursor=x');
    expect(withCursor('/fraud-reports', null)).toBe('/fraud-reports');
  });

  it('appends a page without showing a row twice', () => {
    const shown = [
      { id: '1', v: 'old' },
      { id: '2', v: 'old' },
    ];
    expect(
      appendPage(shown, [
        { id: '2', v: 'new' },
        { id: '3', v: 'new' },
      ]),
    ).toEqual([
      { id: '1', v: 'old' },
      { id: '2', v: 'new' },
      { id: '3', v: 'new' },
    ]);
  });
});
