import { describe, expect, it } from '@jest/globals';
import { mstCheckDigit, parseTaxId } from './tax-id';

describe('a shop registers with its tax id', () => {
  it('accepts a 10-digit enterprise tax code whose check digit is right (0100109106)', () => {
    expect(parseTaxId('0100109106')).toEqual({ ok: true, value: { kind: 'mst10', value: '0100109106' } });
    expect(parseTaxId(' 0312345673 ')).toEqual({ ok: true, value: { kind: 'mst10', value: '0312345673' } });
  });

  it('computes the check digit as 10 − (Σ digit × [31,29,23,19,17,13,7,5,3] mod 11)', () => {
    expect(mstCheckDigit('010010910')).toBe(6);
    expect(mstCheckDigit('010000001')).toBe(0);
  });

  it('refuses a tax code with one digit mistyped', () => {
    const result = parseTaxId('0100109107');
    expect(result).toMatchObject({ ok: false, message: { en: 'The tax code check digit is wrong' } });
  });

  it('refuses every number whose remainder is 0, since no check digit exists for it', () => {
    expect(mstCheckDigit('010000005')).toBeUndefined();
    for (let d = 0; d <= 9; d++) expect(parseTaxId(`010000005${d}`).ok).toBe(false);
  });

  it('refuses province 00 and sequence 0000000 even with a matching check digit', () => {
    const province00 = `001234567${mstCheckDigit('001234567')}`;
    expect(parseTaxId(province00)).toMatchObject({ ok: false, message: { en: expect.stringContaining('province') } });
    const sequence0 = `370000000${mstCheckDigit('370000000')}`;
    expect(parseTaxId(sequence0)).toMatchObject({ ok: false, message: { en: expect.stringContaining('sequence') } });
  });

  it('accepts a dependent unit (13 digits) with or without the dash and stores it with the dash', () => {
    expect(parseTaxId('0100109106-001')).toEqual({ ok: true, value: { kind: 'mst13', value: '0100109106-001' } });
    expect(parseTaxId('0100109106001')).toEqual({ ok: true, value: { kind: 'mst13', value: '0100109106-001' } });
  });

  it('refuses a dependent unit whose parent tax code is wrong or whose suffix is 000', () => {
    expect(parseTaxId('0100109107-001').ok).toBe(false);
    expect(parseTaxId('0100109106-000')).toMatchObject({
      ok: false,
      message: { en: expect.stringContaining('001 to 999') },
    });
  });

  it('accepts a household business registered with the owner’s 12-digit personal id', () => {
    expect(parseTaxId('070095001234')).toEqual({ ok: true, value: { kind: 'personal_id', value: '070095001234' } });
    expect(parseTaxId('000095001234').ok).toBe(false);
  });

  it('refuses other lengths, letters and separators in the wrong place with one bilingual message', () => {
    for (const raw of [
      '',
      '123',
      '01001091061',
      '0100109106-01',
      'O100109106',
      '0100-109106',
      '０１００１０９１０６',
    ]) {
      const result = parseTaxId(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.vi).toMatch(/Mã số thuế|định danh/);
    }
  });
});
