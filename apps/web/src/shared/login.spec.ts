import { describe, expect, it } from '@jest/globals';
import { ambiguousShops } from './login';

const a = '0193a4b2-7c1d-7e00-8000-000000000001';
const b = '0193a4b2-7c1d-7e00-8000-000000000002';

describe('choosing a shop after an ambiguous login', () => {
  it('lists the shops of a 409 ambiguous_login', () => {
    const details = {
      merchants: [
        { id: a, shopName: 'Bánh mì Cô Ba' },
        { id: b, shopName: 'Cô Ba chi nhánh 2' },
      ],
    };
    expect(ambiguousShops('ambiguous_login', details)).toEqual(details.merchants);
  });

  it('offers nothing for other errors or malformed details', () => {
    expect(ambiguousShops('invalid_credentials', { merchants: [{ id: a, shopName: 'x' }] })).toEqual([]);
    expect(ambiguousShops('ambiguous_login', null)).toEqual([]);
    expect(ambiguousShops('ambiguous_login', { merchants: 'x' })).toEqual([]);
    expect(
      ambiguousShops('ambiguous_login', { merchants: [{ id: 'not-an-id', shopName: 'x' }, { id: b }, 7] }),
    ).toEqual([]);
  });
});
