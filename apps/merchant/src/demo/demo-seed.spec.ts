import { describe, expect, it } from '@jest/globals';
import { looksLikeApiKey } from '../auth/api-key';
import { checkNewPassword } from '../auth/password-policy';
import { findBankByBin } from '@cashless/vietqr';
import { registrationSchema } from '../registration/registration.schema';
import { parseTaxId } from '../registration/tax-id';
import { DEMO_API_KEY, DEMO_PASSWORD, DEMO_SHOPS, demoMst } from './demo-seed';

describe('demo shops', () => {
  const shops = DEMO_SHOPS.flat();

  it('every demo shop passes registration validation, at a bank of the directory', () => {
    for (const shop of shops) {
      const parsed = registrationSchema.safeParse({ ...shop, streetId: '0193c7a4-0000-7000-8000-000000000002' });
      expect(parsed.error?.issues ?? []).toEqual([]);
      for (const account of shop.payoutAccounts) expect(findBankByBin(account.bankBin)).toBeDefined();
    }
  });

  it('raise no duplicate flags against each other (distinct phones, tax ids, accounts)', () => {
    expect(new Set(shops.map((s) => s.phone)).size).toBe(shops.length);
    expect(new Set(shops.map((s) => s.taxId)).size).toBe(shops.length);
    const accounts = shops.flatMap((s) => s.payoutAccounts.map((a) => `${a.bankBin}:${a.accountNumber}`));
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  it('MSTs get a correct check digit; the published credentials are well-formed', () => {
    const mst = demoMst('38011234');
    expect(parseTaxId(mst)).toEqual({ ok: true, value: { kind: 'mst10', value: mst } });
    expect(looksLikeApiKey(DEMO_API_KEY)).toBe(true);
    expect(checkNewPassword(DEMO_PASSWORD, { phone: shops[0].phone }).ok).toBe(true);
  });
});
