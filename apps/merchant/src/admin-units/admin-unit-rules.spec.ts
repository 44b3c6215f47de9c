import { describe, expect, it } from '@jest/globals';
import { checkEnd, isIsoDay, nextDay, periodsOverlap } from './admin-unit-rules';

describe('administrative unit rules', () => {
  it('accepts only real calendar days written YYYY-MM-DD', () => {
    for (const ok of ['2025-07-01', '2024-02-29', '2030-12-31']) expect(isIsoDay(ok)).toBe(true);
    for (const bad of [
      '2025-02-30',
      '2023-02-29',
      '2025-7-1',
      '01/07/2025',
      '2025-07-01T00:00:00Z',
      '',
      '2025-13-01',
    ]) {
      expect(isIsoDay(bad)).toBe(false);
    }
  });

  it('the day after crosses months, years and leap days', () => {
    expect(nextDay('2025-06-30')).toBe('2025-07-01');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
  });

  it('periods overlap when they share a day; open ends reach forever', () => {
    const p = (validFrom: string | null, validTo: string | null) => ({ validFrom, validTo });
    expect(periodsOverlap(p(null, '2025-06-30'), p('2025-07-01', null))).toBe(false);
    expect(periodsOverlap(p(null, '2025-07-01'), p('2025-07-01', null))).toBe(true);
    expect(periodsOverlap(p('2025-07-01', null), p('2030-01-01', null))).toBe(true);
    expect(periodsOverlap(p(null, null), p('2000-01-01', '2000-01-01'))).toBe(true);
    expect(periodsOverlap(p('2026-01-01', '2026-12-31'), p('2027-01-01', null))).toBe(false);
  });

  it('ending a unit: successors exist, are of the same level and start the day after', () => {
    const unit = { id: 'w1', level: 'ward', validFrom: '2025-07-01', validTo: null };
    const units = new Map([
      ['w2', { level: 'ward', validFrom: '2027-01-01', validTo: null }],
      ['w3', { level: 'ward', validFrom: '2026-06-01', validTo: null }],
      ['p1', { level: 'province', validFrom: '2027-01-01', validTo: null }],
    ]);
    expect(checkEnd(unit, '2026-12-31', ['w2'], units)).toEqual([]);
    expect(checkEnd(unit, '2026-12-31', ['w3', 'p1', 'nope', 'w1'], units)).toEqual([
      { field: 'successorIds', index: 0, problem: 'wrong_start' },
      { field: 'successorIds', index: 1, problem: 'other_level' },
      { field: 'successorIds', index: 2, problem: 'unknown' },
      { field: 'successorIds', index: 3, problem: 'self' },
    ]);
    expect(checkEnd(unit, '2025-06-01', ['w2'], units)[0]).toEqual({ field: 'validTo', problem: 'before_start' });
    expect(checkEnd({ ...unit, validTo: '2026-01-01' }, '2026-12-31', ['w2'], units)[0]).toEqual({
      field: 'validTo',
      problem: 'already_ended',
    });
  });
});
