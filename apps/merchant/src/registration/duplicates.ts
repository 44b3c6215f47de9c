import { PayoutAccount, accountKey } from './payout-account';

/**
 * Why a new registration looks like an existing merchant. These are flags for the officer who
 * reviews it, not rejections: a family may run two shops from one account, a shop may re-register
 * after closing.
 */
export type DuplicateRule = 'same_payout_account' | 'same_tax_id' | 'same_phone_on_street';

export interface DuplicateFlag {
  rule: DuplicateRule;
  otherMerchantId: string;
  /** Which account matched, for `same_payout_account` (`bankBin:accountNumber`). */
  account?: string;
}

export interface MerchantFingerprint {
  id: string;
  taxId: string;
  phone: string;
  streetId: string;
  payoutAccounts: Pick<PayoutAccount, 'bankBin' | 'accountNumber'>[];
}

/** The flags a candidate raises against merchants already registered (values already normalised). */
export function detectDuplicates(
  candidate: Omit<MerchantFingerprint, 'id'>,
  existing: MerchantFingerprint[],
): DuplicateFlag[] {
  const flags: DuplicateFlag[] = [];
  const candidateAccounts = new Set(candidate.payoutAccounts.map(accountKey));
  for (const other of existing) {
    for (const account of other.payoutAccounts.map(accountKey)) {
      if (candidateAccounts.has(account)) {
        flags.push({ rule: 'same_payout_account', otherMerchantId: other.id, account });
      }
    }
    if (other.taxId === candidate.taxId) flags.push({ rule: 'same_tax_id', otherMerchantId: other.id });
    if (other.phone === candidate.phone && other.streetId === candidate.streetId) {
      flags.push({ rule: 'same_phone_on_street', otherMerchantId: other.id });
    }
  }
  return flags;
}
