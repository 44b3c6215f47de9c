import { describe, expect, it } from '@jest/globals';
import { OWNER_NAME_MAX, SHOP_NAME_MAX, validateHouseNumber, validateOwnerName, validateShopName } from './names';

describe('shop and owner names as typed on a phone', () => {
  it('stores names in NFC, trimmed, with runs of spaces collapsed', () => {
    const nfd = 'Phở  Hùng Vương '.normalize('NFD');
    const result = validateShopName(`  ${nfd}`);
    expect(result).toEqual({ ok: true, value: 'Phở Hùng Vương' });
    if (result.ok) expect(result.value).toBe(result.value.normalize('NFC'));
  });

  it('counts length in characters a person sees, not UTF-16 units or NFD marks', () => {
    const long = 'Đ'.repeat(SHOP_NAME_MAX);
    expect(validateShopName(long.normalize('NFD')).ok).toBe(true);
    expect(validateShopName(long + 'x')).toMatchObject({
      ok: false,
      message: { en: `At most ${SHOP_NAME_MAX} characters` },
    });
    expect(validateOwnerName('A'.repeat(OWNER_NAME_MAX + 1)).ok).toBe(false);
  });

  it('refuses control and invisible characters (bidi overrides, zero-width, NUL)', () => {
    for (const raw of ['Quán\u0000 Ba', 'Quán\u202eBa', 'Quán\u200bBa', 'Quán\nBa']) {
      expect(validateShopName(raw)).toMatchObject({ ok: false, message: { en: expect.stringContaining('control') } });
    }
  });

  it('refuses empty, whitespace-only and punctuation-only names', () => {
    expect(validateShopName('   ').ok).toBe(false);
    expect(validateShopName('!!!').ok).toBe(false);
    expect(validateShopName('A').ok).toBe(false);
  });

  it('accepts Vietnamese owner names and refuses digits or symbols in them', () => {
    expect(validateOwnerName('Nguyễn Văn Đức')).toEqual({ ok: true, value: 'Nguyễn Văn Đức' });
    expect(validateOwnerName("Trần Thị O'Hara-Lê").ok).toBe(true);
    expect(validateOwnerName('Nguyen 2').ok).toBe(false);
    expect(validateOwnerName('<script>').ok).toBe(false);
  });

  it('accepts the house numbers people write and refuses ones with nothing in them', () => {
    for (const raw of ['12A', '123/4', 'Kiốt 5 chợ Đồng Xoài', '1337']) expect(validateHouseNumber(raw).ok).toBe(true);
    expect(validateHouseNumber(' - ').ok).toBe(false);
  });
});

describe('unpaired surrogates (found by the bad-input campaign)', () => {
  it('refuses a name with a lone UTF-16 surrogate, which has no UTF-8 form to store', () => {
    expect(validateShopName('\udc00x').ok).toBe(false);
    expect(validateShopName('Quán \ud800').ok).toBe(false);
    // A real pair (an emoji) is fine.
    expect(validateShopName('Quán 🍜')).toEqual({ ok: true, value: 'Quán 🍜' });
  });
});
