import { describe, expect, it } from '@jest/globals';
import { checkNewPassword } from './password-policy';

const phone = { phone: '0912345678' };

describe("shop owners' web passwords", () => {
  it('accepts 10 or more characters, counted after NFC, in any script', () => {
    expect(checkNewPassword('cửa-hàng-phở', phone)).toEqual({ ok: true, value: 'cửa-hàng-phở'.normalize('NFC') });
    expect(checkNewPassword('abcdefghij', phone).ok).toBe(true);
    // "ử" typed as u + two combining marks is one character after NFC.
    expect(checkNewPassword('cu\u031b\u0309a hang 1', phone).ok).toBe(true);
  });

  it('refuses short, huge, repetitive, phone-number and control-character passwords with bilingual messages', () => {
    expect(checkNewPassword('123456789', phone)).toMatchObject({
      ok: false,
      message: { en: expect.stringMatching(/at least 10/) },
    });
    expect(checkNewPassword('x'.repeat(201), phone).ok).toBe(false);
    expect(checkNewPassword('aaaaaaaaaaaa', phone)).toMatchObject({ ok: false, message: { vi: expect.any(String) } });
    expect(checkNewPassword('0912345678', phone)).toMatchObject({
      ok: false,
      message: { en: expect.stringMatching(/phone/) },
    });
    expect(checkNewPassword('+84912345678', phone).ok).toBe(false);
    expect(checkNewPassword('password\u0000123', phone).ok).toBe(false);
  });
});
