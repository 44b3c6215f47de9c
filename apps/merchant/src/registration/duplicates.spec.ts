import { describe, expect, it } from '@jest/globals';
import { MerchantFingerprint, detectDuplicates } from './duplicates';

const street = '11111111-1111-1111-1111-111111111111';
const otherStreet = '22222222-2222-2222-2222-222222222222';
const candidate = {
  taxId: '0100109106',
  phone: '0912345678',
  streetId: street,
  payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567' }],
};
const unrelated: MerchantFingerprint = {
  id: 'm-0',
  taxId: '0312345673',
  phone: '0987654321',
  streetId: street,
  payoutAccounts: [{ bankBin: '970415', accountNumber: '0071001234567' }],
};

describe('a registration that looks like an existing merchant is flagged for the officer', () => {
  it('flags nothing for a merchant sharing only an account number at another bank', () => {
    expect(detectDuplicates(candidate, [unrelated])).toEqual([]);
  });

  it('flags the same bank account, naming the account', () => {
    const other = { ...unrelated, id: 'm-1', payoutAccounts: [{ bankBin: '970436', accountNumber: '0071001234567' }] };
    expect(detectDuplicates(candidate, [other])).toEqual([
      { rule: 'same_payout_account', otherMerchantId: 'm-1', account: '970436:0071001234567' },
    ]);
  });

  it('flags the same tax id wherever the other shop is', () => {
    const other = { ...unrelated, id: 'm-2', taxId: '0100109106', streetId: otherStreet };
    expect(detectDuplicates(candidate, [other])).toEqual([{ rule: 'same_tax_id', otherMerchantId: 'm-2' }]);
  });

  it('flags the same phone only on the same street (one owner may run shops on two streets)', () => {
    const sameStreet = { ...unrelated, id: 'm-3', phone: '0912345678' };
    const elsewhere = { ...unrelated, id: 'm-4', phone: '0912345678', streetId: otherStreet };
    expect(detectDuplicates(candidate, [sameStreet, elsewhere])).toEqual([
      { rule: 'same_phone_on_street', otherMerchantId: 'm-3' },
    ]);
  });

  it('reports every rule a merchant matches, for every matching merchant', () => {
    const twin = { ...candidate, id: 'm-5' };
    expect(detectDuplicates(candidate, [twin]).map((f) => f.rule)).toEqual([
      'same_payout_account',
      'same_tax_id',
      'same_phone_on_street',
    ]);
  });
});
