import { describe, expect, it } from '@jest/globals';
import {
  BANK_DIRECTORY,
  checkRegistration,
  checkResume,
  countdown,
  formField,
  idempotencyKey,
  parseAmount,
  parseSavedRegistration,
  registrationStep,
  searchBanks,
  spokenText,
  todayTotal,
} from './logic';
import type { RegistrationDraft } from './logic';

const draft: RegistrationDraft = {
  shopName: 'Phở Bà Lan',
  ownerName: 'Nguyễn Thị Lan',
  phone: '0912 345 678',
  taxId: '0100109106',
  category: 'food_drink',
  streetId: 'street-1',
  houseNumber: '12',
  bankBin: '970436',
  accountNumber: '0011004455667',
  accountName: 'Nguyễn Thị Lan',
  password: 'mat-khau-cua-hang',
};

describe('bank search', () => {
  it('finds banks by short name, code, full name or BIN, ignoring case and accents', () => {
    expect(searchBanks('vietcombank').map((b) => b.bin)).toContain('970436');
    expect(searchBanks('VCB').map((b) => b.bin)).toContain('970436');
    expect(searchBanks('ngoai thuong').map((b) => b.bin)).toContain('970436');
    expect(searchBanks('970415').map((b) => b.bin)).toEqual(['970415']);
    expect(searchBanks('')).toHaveLength(BANK_DIRECTORY.length);
    expect(searchBanks('no such bank at all')).toEqual([]);
  });
});

describe('registration checks', () => {
  it('accepts a complete form', () => {
    expect(checkRegistration(draft)).toEqual({});
    expect(checkRegistration({ ...draft, phone: '+84912345678', taxId: '0100109106-001' })).toEqual({});
    expect(checkRegistration({ ...draft, taxId: '001203004567' })).toEqual({});
  });

  it('names every wrong field at once, in both languages', () => {
    const errors = checkRegistration({
      ...draft,
      shopName: ' ',
      phone: '0241234567',
      taxId: '12',
      accountNumber: '12ab',
      password: 'short',
    });
    expect(Object.keys(errors).sort()).toEqual(['accountNumber', 'password', 'phone', 'shopName', 'taxId']);
    expect(errors.phone?.vi).toContain('10 chữ số');
    expect(errors.phone?.en).toContain('mobile');
  });

  it('maps the API field paths onto the form', () => {
    expect(formField('payoutAccounts[0].accountNumber')).toBe('accountNumber');
    expect(formField('payoutAccounts[0].bankBin')).toBe('bankBin');
    expect(formField('payoutAccounts')).toBe('accountNumber');
    expect(formField('taxId')).toBe('taxId');
    expect(formField('somethingElse')).toBeUndefined();
  });
});

describe('checkout helpers', () => {
  it('counts down in m:ss and stops at zero', () => {
    const now = Date.parse('2026-11-26T08:00:00Z');
    expect(countdown('2026-11-26T08:05:00Z', now)).toEqual({ text: '5:00', over: false, seconds: 300 });
    expect(countdown('2026-11-26T08:00:09.200Z', now)).toEqual({ text: '0:10', over: false, seconds: 10 });
    expect(countdown('2026-11-26T07:59:00Z', now)).toEqual({ text: '0:00', over: true, seconds: 0 });
  });

  it('reads amounts typed the Vietnamese way', () => {
    expect(parseAmount('50.000')).toBe(50000);
    expect(parseAmount('1 250 000 ₫')).toBe(1250000);
    expect(parseAmount('500')).toBeNull();
    expect(parseAmount('12,5')).toBeNull();
    expect(parseAmount('abc')).toBeNull();
    expect(parseAmount('500000000')).toBeNull();
  });

  it('makes distinct idempotency keys from random bytes', () => {
    let n = 0;
    const counter = (bytes: Uint8Array) => bytes.map(() => n++);
    const first = idempotencyKey(counter);
    expect(first).toMatch(/^web-[0-9a-f]{32}$/);
    expect(idempotencyKey(counter)).not.toBe(first);
  });
});

describe('payment speaker', () => {
  it('says the service’s sentence, or the amount in Vietnamese', () => {
    expect(spokenText({ amount: 50000, announcement: 'Đã nhận 50.000 đồng, thiếu 5.000 đồng' })).toBe(
      'Đã nhận 50.000 đồng, thiếu 5.000 đồng',
    );
    expect(spokenText({ amount: 50000 })).toBe('Đã nhận 50.000 đồng');
    expect(spokenText({ amount: 1234567, announcement: null })).toBe('Đã nhận 1.234.567 đồng');
  });

  it('adds live payments the statement does not hold yet to today’s total, once', () => {
    const statement = { net: 80000, entries: [{ paymentId: 'p1' }, { paymentId: null }] };
    expect(
      todayTotal(statement, [
        { paymentId: 'p1', amount: 50000 },
        { paymentId: 'p2', amount: 20000 },
      ]),
    ).toBe(100000);
    expect(todayTotal(null, [{ paymentId: 'p2', amount: 20000 }])).toBe(20000);
  });
});

describe('resuming a registration whose last steps failed', () => {
  const saved = {
    id: '0193a4b2-7c1d-7e00-8000-0000000000aa',
    apiKey: 'csk_live_abc',
    shopName: 'Phở Bà Lan',
    passwordSet: false,
  };

  it('reads back what the page saved, and nothing else', () => {
    expect(parseSavedRegistration(JSON.stringify(saved))).toEqual(saved);
    expect(parseSavedRegistration(JSON.stringify({ ...saved, extra: 1 }))).toEqual(saved);
    for (const raw of [
      null,
      '',
      '{',
      '[]',
      JSON.stringify({ ...saved, id: 'x' }),
      JSON.stringify({ ...saved, apiKey: '' }),
    ]) {
      expect(parseSavedRegistration(raw)).toBeNull();
    }
    expect(parseSavedRegistration(JSON.stringify({ ...saved, passwordSet: 'yes' }))).toBeNull();
  });

  it('goes on from the step that failed, never registering again', () => {
    expect(registrationStep(null)).toBe('register');
    expect(registrationStep(saved)).toBe('password');
    expect(registrationStep({ ...saved, passwordSet: true })).toBe('login');
  });

  it('checks only the password when resuming', () => {
    const blank = Object.fromEntries(Object.keys(draft).map((k) => [k, ''])) as unknown as RegistrationDraft;
    expect(checkResume({ ...blank, password: 'mat-khau-dai-du' })).toEqual({});
    expect(Object.keys(checkResume({ ...blank, password: 'ngan' }))).toEqual(['password']);
  });
});
