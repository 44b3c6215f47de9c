import {
  MerchantEventTypes,
  MerchantPayoutAccountData,
  MerchantRegisteredData,
  MerchantStatusChangedData,
  Topics,
} from '@cashless/contracts';
import type { OutgoingEvent } from '@cashless/messaging';
import type { MerchantStatus } from './merchant-status';

export interface MerchantSnapshotSource {
  id: string;
  status: MerchantStatus;
  shopName: string;
  category: string;
  streetId: string;
  registeredAt: Date;
  payoutAccounts: { bankBin: string; accountNumber: string; accountName: string }[];
}

/**
 * What consumers get to know about a merchant. Built from an explicit list of fields so that
 * owner name, phone and tax id cannot slip into an event by a later edit of the entity.
 */
function snapshot(merchant: MerchantSnapshotSource, wardId: string | null): MerchantRegisteredData {
  return {
    merchantId: merchant.id,
    status: merchant.status,
    shopName: merchant.shopName,
    category: merchant.category,
    streetId: merchant.streetId,
    wardId,
    registeredAt: merchant.registeredAt.toISOString(),
    payoutAccounts: merchant.payoutAccounts.map((a) => ({
      bankBin: a.bankBin,
      accountNumber: a.accountNumber,
      accountName: a.accountName,
    })),
  };
}

export function registeredEvent(
  merchant: MerchantSnapshotSource,
  wardId: string | null,
  traceId: string,
): OutgoingEvent<MerchantRegisteredData> {
  return {
    topic: Topics.merchantEvents,
    type: MerchantEventTypes.registered,
    version: 1,
    key: merchant.id,
    traceId,
    occurredAt: merchant.registeredAt,
    data: snapshot(merchant, wardId),
  };
}

export function statusChangedEvent(
  type: string,
  merchant: MerchantSnapshotSource,
  wardId: string | null,
  change: { previousStatus: MerchantStatus; changedAt: Date; changedBy: string },
  traceId: string,
): OutgoingEvent<MerchantStatusChangedData> {
  return {
    topic: Topics.merchantEvents,
    type,
    version: 1,
    key: merchant.id,
    traceId,
    occurredAt: change.changedAt,
    data: {
      ...snapshot(merchant, wardId),
      previousStatus: change.previousStatus,
      changedAt: change.changedAt.toISOString(),
      changedBy: change.changedBy,
    },
  };
}

export interface PayoutAccountState {
  id: string;
  bankBin: string;
  accountNumber: string;
  accountName: string;
  active: boolean;
}

const accountState = (a: PayoutAccountState): PayoutAccountState => ({
  id: a.id,
  bankBin: a.bankBin,
  accountNumber: a.accountNumber,
  accountName: a.accountName,
  active: a.active,
});

/** `merchant.payout_account_added` / `_changed`: the account, and every active account after the change. */
export function payoutAccountEvent(
  type: typeof MerchantEventTypes.payoutAccountAdded | typeof MerchantEventTypes.payoutAccountChanged,
  merchant: { id: string; status: MerchantStatus },
  account: PayoutAccountState,
  allAccounts: readonly PayoutAccountState[],
  occurredAt: Date,
  traceId: string,
): OutgoingEvent<MerchantPayoutAccountData> {
  return {
    topic: Topics.merchantEvents,
    type,
    version: 1,
    key: merchant.id,
    traceId,
    occurredAt,
    data: {
      merchantId: merchant.id,
      status: merchant.status,
      account: accountState(account),
      payoutAccounts: allAccounts.filter((a) => a.active).map(accountState),
      occurredAt: occurredAt.toISOString(),
    },
  };
}
