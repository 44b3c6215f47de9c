import { describe, expect, it } from '@jest/globals';
import { checkCampaign, checkTarget, displayDay, parseDisplayDay, placeFieldErrors } from './logic';

describe('dates typed dd/mm/yyyy', () => {
  it('reads the Vietnamese order with any of the usual separators', () => {
    expect(parseDisplayDay('01/06/2026')).toBe('2026-06-01');
    expect(parseDisplayDay(' 1/6/2026 ')).toBe('2026-06-01');
    expect(parseDisplayDay('31-12-2026')).toBe('2026-12-31');
    expect(parseDisplayDay('29.02.2028')).toBe('2028-02-29');
  });

  it('refuses days that do not exist and other spellings', () => {
    for (const typed of ['31/06/2026', '29/02/2026', '00/01/2026', '2026-06-01', '06/2026', '1/13/2026', '']) {
      expect(parseDisplayDay(typed)).toBeNull();
    }
  });

  it('shows stored days the same way', () => {
    expect(displayDay('2026-06-01')).toBe('01/06/2026');
    expect(displayDay(null)).toBe('');
  });
});

describe('the campaign form', () => {
  it('builds the API body from a valid form', () => {
    expect(
      checkCampaign({
        name: '  Tháng không tiền mặt ',
        startDate: '1/6/2026',
        endDate: '31/08/2026',
        monthsBefore: '3',
      }),
    ).toEqual({
      ok: true,
      body: { name: 'Tháng không tiền mặt', startDate: '2026-06-01', endDate: '2026-08-31', monthsBefore: 3 },
    });
  });

  it('names each wrong field', () => {
    const result = checkCampaign({ name: ' ', startDate: '31/02/2026', endDate: '', monthsBefore: '25' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['endDate', 'monthsBefore', 'name', 'startDate']);
    expect(result.errors.name?.vi).toBe('Bắt buộc');
  });

  it('refuses an end before the start, on the end field', () => {
    const result = checkCampaign({ name: 'A', startDate: '02/06/2026', endDate: '01/06/2026', monthsBefore: '1' });
    expect(result).toEqual({ ok: false, errors: { endDate: expect.objectContaining({ en: expect.any(String) }) } });
  });
});

describe('the street target form', () => {
  it('sends a number and an optional date; both empty clears the target', () => {
    expect(checkTarget({ targetBusinesses: '1.200', targetDate: '31/12/2026' })).toEqual({
      ok: true,
      body: { targetBusinesses: 1200, targetDate: '2026-12-31' },
    });
    expect(checkTarget({ targetBusinesses: '40', targetDate: '' })).toEqual({
      ok: true,
      body: { targetBusinesses: 40, targetDate: null },
    });
    expect(checkTarget({ targetBusinesses: ' ', targetDate: '' })).toEqual({
      ok: true,
      body: { targetBusinesses: null, targetDate: null },
    });
  });

  it('refuses a date without a number, a negative or fractional number, and a bad date', () => {
    const noNumber = checkTarget({ targetBusinesses: '', targetDate: '31/12/2026' });
    expect(noNumber.ok ? [] : Object.keys(noNumber.errors)).toEqual(['targetBusinesses']);
    for (const typed of ['-5', '12,5', '12.5', 'nhiều', '2000000']) {
      const result = checkTarget({ targetBusinesses: typed, targetDate: '' });
      expect(result.ok ? [] : Object.keys(result.errors)).toEqual(['targetBusinesses']);
    }
    const badDate = checkTarget({ targetBusinesses: '10', targetDate: '2026-12-31' });
    expect(badDate.ok ? [] : Object.keys(badDate.errors)).toEqual(['targetDate']);
  });
});

describe('the API’s field errors on the form', () => {
  it('puts known fields next to their input and keeps the others apart', () => {
    const message = { vi: 'Sai', en: 'Wrong' };
    const placed = placeFieldErrors(
      [
        { field: 'endDate', message },
        { field: 'endDate', message: { vi: 'Lần hai', en: 'Second' } },
        { field: 'colour', message },
      ],
      ['name', 'endDate'] as const,
    );
    expect(placed.errors).toEqual({ endDate: message });
    expect(placed.other).toEqual([{ vi: 'colour: Sai', en: 'colour: Wrong' }]);
  });
});
