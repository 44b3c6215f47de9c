import { z } from 'zod';
import { checkedString, parseUuid } from '../http/validation';
import { CATEGORY_CODES, isCategory } from '@cashless/contracts';
import type { Category } from '@cashless/contracts';
import { FieldResult, accept, refuse } from './field-result';
import { validateHouseNumber, validateOwnerName, validateShopName } from './names';
import { accountKey, normalizeAccountName, validateAccountNumber, validateBankBin } from './payout-account';
import { normalizeMobilePhone } from './phone';
import { parseTaxId } from './tax-id';

export const MAX_PAYOUT_ACCOUNTS = 5;

function parseCategory(raw: string): FieldResult<Category> {
  const value = raw.trim();
  return isCategory(value)
    ? accept(value)
    : refuse(
        `Ngành hàng phải là một trong: ${CATEGORY_CODES.join(', ')}`,
        `Category must be one of: ${CATEGORY_CODES.join(', ')}`,
      );
}

export const payoutAccountSchema = z.strictObject({
  bankBin: checkedString(validateBankBin, 20),
  accountNumber: checkedString(validateAccountNumber, 40),
  accountName: checkedString(normalizeAccountName, 200),
});

/** `POST /api/v1/merchants` (API contract). Every value comes out normalised. */
export const registrationSchema = z
  .strictObject({
    shopName: checkedString(validateShopName),
    ownerName: checkedString(validateOwnerName),
    phone: checkedString(normalizeMobilePhone, 40),
    taxId: checkedString(parseTaxId, 40),
    category: checkedString(parseCategory, 40),
    streetId: checkedString(parseUuid, 100),
    houseNumber: checkedString(validateHouseNumber),
    payoutAccounts: z.array(payoutAccountSchema).min(1).max(MAX_PAYOUT_ACCOUNTS),
  })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.payoutAccounts.forEach((account, i) => {
      const key = accountKey(account);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['payoutAccounts', i, 'accountNumber'],
          params: { vi: 'Tài khoản này đã có trong danh sách', en: 'This account is already listed' },
        });
      }
      seen.add(key);
    });
  });

export type Registration = z.output<typeof registrationSchema>;
