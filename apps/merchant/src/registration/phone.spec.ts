import { describe, expect, it } from '@jest/globals';
import { normalizeMobilePhone } from './phone';

describe('an owner gives a Vietnamese mobile number', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['84912345678', '0912345678'],
    ['+84 91 234 5678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['0386-123-456', '0386123456'],
    ['0701234567', '0701234567'],
    ['0591234567', '0591234567'],
  ])('%s is stored as %s', (raw, national) => {
    expect(normalizeMobilePhone(raw)).toEqual({ ok: true, value: national });
  });

  it('refuses a landline or an unassigned prefix, naming the prefix', () => {
    expect(normalizeMobilePhone('0271123456')).toMatchObject({
      ok: false,
      message: { en: '027 is not a Vietnamese mobile prefix' },
    });
    expect(normalizeMobilePhone('0951234567').ok).toBe(false);
    expect(normalizeMobilePhone('0121234567').ok).toBe(false);
  });

  it('refuses the old 11-digit numbers, short numbers, foreign numbers and letters', () => {
    for (const raw of [
      '01234567890',
      '091234567',
      '+1 415 555 0100',
      '+8491234567',
      '09123456a8',
      '',
      '+840912345678',
    ]) {
      expect(normalizeMobilePhone(raw).ok).toBe(false);
    }
  });
});
