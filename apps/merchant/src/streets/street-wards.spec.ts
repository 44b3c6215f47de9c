import { describe, expect, it } from '@jest/globals';
import { bundledAdminUnits } from './admin-units-seed';
import { AdminUnit, resolveStreetWards, vietnamToday } from './street-wards';

const units = new Map<string, AdminUnit>(
  [
    { id: 'p-bp', level: 'province', kind: null, name: 'Bình Phước', parentId: null },
    { id: 'p-dn', level: 'province', kind: null, name: 'Đồng Nai', parentId: null },
    { id: 'd-dx', level: 'district', kind: 'thành phố', name: 'Đồng Xoài', parentId: 'p-bp' },
    { id: 'w-tb', level: 'ward', kind: 'phường', name: 'Tân Bình', parentId: 'd-dx' },
    { id: 'w-bp', level: 'ward', kind: 'phường', name: 'Bình Phước', parentId: 'p-dn' },
  ].map((u) => [u.id, u as AdminUnit]),
);
const hungVuong = [
  { wardId: 'w-bp', validFrom: '2025-07-01', validTo: null },
  { wardId: 'w-tb', validFrom: null, validTo: '2025-06-30' },
];

describe('a street keeps its ward history across the 2025 merger', () => {
  it('Hùng Vương today: phường Bình Phước, Đồng Nai; formerly phường Tân Bình, Đồng Xoài, Bình Phước', () => {
    expect(resolveStreetWards(hungVuong, units, '2026-03-01')).toEqual({
      current: {
        id: 'w-bp',
        name: 'Bình Phước',
        kind: 'phường',
        district: null,
        province: 'Đồng Nai',
        provinceId: 'p-dn',
      },
      history: [
        {
          ward: {
            id: 'w-tb',
            name: 'Tân Bình',
            kind: 'phường',
            district: 'Đồng Xoài',
            province: 'Bình Phước',
            provinceId: 'p-bp',
          },
          validFrom: null,
          validTo: '2025-06-30',
        },
      ],
    });
  });

  it('on 30 June 2025 the street was still in Tân Bình; on 1 July in Bình Phước', () => {
    expect(resolveStreetWards(hungVuong, units, '2025-06-30').current?.name).toBe('Tân Bình');
    expect(resolveStreetWards(hungVuong, units, '2025-07-01').current?.name).toBe('Bình Phước');
  });

  it('a street with no ward covering today has no current ward but keeps its history', () => {
    const ended = [{ wardId: 'w-tb', validFrom: null, validTo: '2025-06-30' }];
    expect(resolveStreetWards(ended, units, '2026-01-01')).toMatchObject({
      current: null,
      history: [{ validTo: '2025-06-30' }],
    });
  });

  it('"today" is the calendar day in Vietnam (UTC+7)', () => {
    expect(vietnamToday(new Date('2025-06-30T16:59:59Z'))).toBe('2025-06-30');
    expect(vietnamToday(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07-01');
  });

  it('the bundled data has both pilot streets, each moving to phường Bình Phước on 1 July 2025', () => {
    const data = bundledAdminUnits();
    expect(data.streets.map((s) => [s.name, s.wards.map((w) => w.ward)])).toEqual([
      ['Hùng Vương', ['ward:tan-binh', 'ward:binh-phuoc']],
      ['Lê Duẩn', ['ward:tan-phu', 'ward:binh-phuoc']],
    ]);
    expect(data.units.find((u) => u.key === 'ward:binh-phuoc')).toMatchObject({
      validFrom: '2025-07-01',
      parent: 'province:dong-nai-2025',
    });
  });
});
