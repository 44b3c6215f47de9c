import { describe, expect, it } from '@jest/globals';
import { findBankByBin } from '@cashless/vietqr';
import { normalizeAccountName, validateAccountNumber, validateBankBin } from './payout-account';

describe('a payout account the shop is paid into', () => {
  it('accepts a BIN from the NAPAS directory (Vietcombank 970436) and refuses unknown ones', () => {
    expect(findBankByBin('970436')?.shortName).toBe('Vietcombank');
    expect(validateBankBin('970436')).toEqual({ ok: true, value: '970436' });
    expect(validateBankBin('999999')).toMatchObject({
      ok: false,
      message: { en: 'The bank is not in the NAPAS directory' },
    });
    expect(validateBankBin('97043')).toMatchObject({ ok: false, message: { en: 'A bank BIN has 6 digits' } });
  });

  it('accepts 6–19 digit account numbers, dropping the spaces people type between groups', () => {
    expect(validateAccountNumber('0071 0012 34567')).toEqual({ ok: true, value: '0071001234567' });
    expect(validateAccountNumber('123456').ok).toBe(true);
    expect(validateAccountNumber('1'.repeat(19)).ok).toBe(true);
    for (const raw of ['12345', '1'.repeat(20), 'ABC1234567', '']) expect(validateAccountNumber(raw).ok).toBe(false);
  });

  it('folds the holder name to what bank apps show: ASCII upper case, đ → D', () => {
    expect(normalizeAccountName('Nguyễn Văn Đức')).toEqual({ ok: true, value: 'NGUYEN VAN DUC' });
    expect(normalizeAccountName('  trần   thị   hoà ')).toEqual({ ok: true, value: 'TRAN THI HOA' });
    expect(normalizeAccountName('Ðỗ Minh'.normalize('NFD'))).toEqual({ ok: true, value: 'DO MINH' });
    expect(normalizeAccountName('Cty TNHH Phở Hà Nội (CN 2)')).toEqual({
      ok: true,
      value: 'CTY TNHH PHO HA NOI (CN 2)',
    });
  });

  it('refuses holder names in other scripts, with symbols, empty or too long', () => {
    for (const raw of ['王小明', 'NGUYEN 😀', '   ', 'A'.repeat(51), 'NGUYEN\u0000VAN', '1234']) {
      expect(normalizeAccountName(raw).ok).toBe(false);
    }
  });
});
