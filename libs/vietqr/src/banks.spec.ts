import { describe, expect, it } from '@jest/globals';
import { loadSharedBanks } from '../test/vectors';
import {
  BANKS,
  findBankByBin,
  findBankByCode,
  findBankByShortName,
  isKnownBin,
  resolveBank,
  searchBanks,
} from './banks';

describe('bank directory', () => {
  it('ships an exact copy of the shared directory', () => {
    expect(BANKS).toEqual(loadSharedBanks());
    expect(BANKS).toHaveLength(73);
    expect(new Set(BANKS.map((b) => b.bin)).size).toBe(BANKS.length);
  });

  it('finds banks by BIN, code and short name, ignoring case and punctuation', () => {
    expect(findBankByBin('970436')?.shortName).toBe('Vietcombank');
    expect(findBankByCode('icb')?.bin).toBe('970415');
    expect(findBankByCode('IBK-HN')?.bin).toBe('970455');
    expect(findBankByShortName('vietinbank')?.bin).toBe('970415');
    expect(findBankByShortName('MB Bank')?.bin).toBe('970422');
    expect(resolveBank('VCB')?.bin).toBe('970436');
    expect(resolveBank(' 970403 ')?.shortName).toBe('Sacombank');
    expect(resolveBank('nope')).toBeUndefined();
  });

  it('validates BINs by the directory, never by a 9704 prefix', () => {
    for (const bin of ['546034', '546035', '963388', '971025', '422589', '977777']) expect(isKnownBin(bin)).toBe(true);
    for (const bin of ['970499', '970401', '9704', '97043600', 'abcdef']) expect(isKnownBin(bin)).toBe(false);
  });

  it('resolves a code held by two BINs to the one vietqr.io lists, and keeps both valid', () => {
    expect(findBankByCode('CIMB')?.bin).toBe('422589');
    expect(findBankByCode('MAFC')?.bin).toBe('977777');
    expect(isKnownBin('970459')).toBe(true);
    expect(isKnownBin('970468')).toBe(true);
  });

  it('never resolves one bank’s code to another bank’s short name', () => {
    for (const bank of BANKS) {
      if (bank.code === null) continue;
      const resolved = resolveBank(bank.code);
      expect([bank.code, resolved?.code]).toEqual([bank.code, bank.code]);
    }
  });

  it('searches BIN, code and names without accents, exact match first', () => {
    expect(searchBanks('ngoai thuong').map((b) => b.bin)).toEqual(['970436']);
    expect(searchBanks('MB')[0].bin).toBe('970422');
    expect(searchBanks('9704').length).toBeGreaterThan(50);
    expect(searchBanks('')).toHaveLength(73);
    expect(searchBanks('zzzz')).toEqual([]);
  });
});
