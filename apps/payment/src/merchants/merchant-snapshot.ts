import {
  MerchantEventTypes,
  MerchantPayoutAccountData,
  MerchantRegisteredData,
  MerchantStatusChangedData,
} from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';

export interface PayoutAccountView {
  bankBin: string;
  accountNumber: string;
  accountName: string;
}

/** What the payment service keeps of a merchant after one event: enough to replace its rows. */
export interface MerchantSnapshot {
  merchantId: string;
  status: string;
  /** Active accounts only, in the merchant service's order (the first is the default for intents). */
  payoutAccounts: PayoutAccountView[];
  /** Version of the snapshot: the event's occurredAt, ties broken by event id (UUIDv7, time-ordered). */
  versionAt: string;
  versionId: string;
}

const STATUS_EVENTS = new Set<string>([
  MerchantEventTypes.approved,
  MerchantEventTypes.rejected,
  MerchantEventTypes.suspended,
  MerchantEventTypes.reinstated,
  MerchantEventTypes.closed,
]);

/** The merchant as an event describes it, or null for events that do not change the read model. */
export function snapshotOf(event: EventEnvelope): MerchantSnapshot | null {
  const version = { versionAt: event.occurredAt, versionId: event.id };
  if (event.type === MerchantEventTypes.registered || STATUS_EVENTS.has(event.type)) {
    const data = event.data as MerchantRegisteredData | MerchantStatusChangedData;
    return {
      merchantId: data.merchantId,
      status: data.status,
      payoutAccounts: data.payoutAccounts.map(({ bankBin, accountNumber, accountName }) => ({
        bankBin,
        accountNumber,
        accountName,
      })),
      ...version,
    };
  }
  if (event.type === MerchantEventTypes.payoutAccountAdded || event.type === MerchantEventTypes.payoutAccountChanged) {
    const data = event.data as MerchantPayoutAccountData;
    return {
      merchantId: data.merchantId,
      status: data.status,
      payoutAccounts: data.payoutAccounts
        .filter((a) => a.active)
        .map(({ bankBin, accountNumber, accountName }) => ({ bankBin, accountNumber, accountName })),
      ...version,
    };
  }
  return null;
}

/** True when `a` is a later version than `b`. */
export function isNewer(a: Pick<MerchantSnapshot, 'versionAt' | 'versionId'>, b: typeof a): boolean {
  const ta = Date.parse(a.versionAt);
  const tb = Date.parse(b.versionAt);
  return ta !== tb ? ta > tb : a.versionId > b.versionId;
}

/** The latest snapshot per merchant among a chunk's events (stale ones within the chunk dropped). */
export function latestPerMerchant(events: EventEnvelope[]): MerchantSnapshot[] {
  const latest = new Map<string, MerchantSnapshot>();
  for (const event of events) {
    const snapshot = snapshotOf(event);
    if (!snapshot) continue;
    const current = latest.get(snapshot.merchantId);
    if (!current || isNewer(snapshot, current)) latest.set(snapshot.merchantId, snapshot);
  }
  return [...latest.values()];
}
