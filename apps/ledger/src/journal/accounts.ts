import { createHash } from 'node:crypto';
import type { EntrySide, PaymentChannel } from '@cashless/contracts';

/**
 * The chart of accounts. Accounts are created on demand the first time a transaction touches
 * them; each has a kind and a normal side (the side on which its balance grows). The platform
 * holds no money: the bank accounts are mirrors of the shops' own payout accounts.
 *
 * | kind        | code                              | normal | what it records                                    |
 * |-------------|-----------------------------------|--------|----------------------------------------------------|
 * | `bank`      | `bank:<bin>:<account number>`     | debit  | money in a payout account: arrived minus paid back |
 * | `takings`   | `merchant:<id>:takings:<channel>` | credit | a merchant's takings by channel                    |
 * | `refunds`   | `merchant:<id>:refunds`           | debit  | money a merchant paid back (contra-takings)        |
 * | `suspense`  | `suspense:unattributed`           | credit | transfers nobody could be credited with yet        |
 * | `dismissed` | `suspense:dismissed`              | credit | queued transfers an officer dismissed              |
 */
export type AccountKind = 'bank' | 'takings' | 'refunds' | 'suspense' | 'dismissed';

export interface Account {
  code: string;
  kind: AccountKind;
  normalSide: EntrySide;
  merchantId: string | null;
  channel: PaymentChannel | null;
}

export function bankAccount(bankBin: string, accountNumber: string): Account {
  return {
    code: `bank:${bankBin}:${accountNumber}`,
    kind: 'bank',
    normalSide: 'debit',
    merchantId: null,
    channel: null,
  };
}

export function takingsAccount(merchantId: string, channel: PaymentChannel): Account {
  return {
    code: `merchant:${merchantId}:takings:${channel}`,
    kind: 'takings',
    normalSide: 'credit',
    merchantId,
    channel,
  };
}

export function refundsAccount(merchantId: string): Account {
  return { code: `merchant:${merchantId}:refunds`, kind: 'refunds', normalSide: 'debit', merchantId, channel: null };
}

export const SUSPENSE: Account = {
  code: 'suspense:unattributed',
  kind: 'suspense',
  normalSide: 'credit',
  merchantId: null,
  channel: null,
};

export const DISMISSED: Account = {
  code: 'suspense:dismissed',
  kind: 'dismissed',
  normalSide: 'credit',
  merchantId: null,
  channel: null,
};

/**
 * An account's id is derived from its code, so every writer computes it without a lookup and a
 * replay into an empty ledger produces the same ids.
 */
export function accountId(code: string): string {
  let id = accountIds.get(code);
  if (id === undefined) {
    if (accountIds.size >= 100_000) accountIds.clear();
    accountIds.set(code, (id = uuidFromHash(`ledger-account:${code}`)));
  }
  return id;
}

/** Every entry needs its account's id several times; a hash per lookup showed in profiles. */
const accountIds = new Map<string, string>();

/** A transaction's id is derived from its posting key: the same source always gets the same id. */
export function transactionId(postingKey: string): string {
  return uuidFromHash(`ledger-transaction:${postingKey}`);
}

/** A name-based UUID (version 8 layout: SHA-256 of the name, version and variant bits set). */
function uuidFromHash(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
