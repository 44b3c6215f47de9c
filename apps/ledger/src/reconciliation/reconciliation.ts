/**
 * Daily reconciliation, pure: three sources of one day compared by notification and posting key.
 *
 * - (a) postings: the ledger's transactions caused by payment events (refunds come from the
 *   ledger's own API and have no counterpart elsewhere);
 * - (b) events: the money-moving payment events the ledger received (`ledger_payment_event`),
 *   plus those that went to the dead letter instead of being posted;
 * - (c) notifications: the bank notifications the payment service stored (null when that source
 *   could not be read; the report then says so and compares (a) with (b) only).
 *
 * Each fault yields exactly one difference, named by the most specific cause: a lost event is
 * not also reported as a missing posting, and a posting proves its event arrived.
 */

export interface NotificationRecord {
  notificationId: string;
  amount: number;
  /** Ignored notifications (outgoing, unsuccessful, unknown bank) move no money: no event is expected. */
  ignored: boolean;
}

export interface EventRecord {
  eventId: string;
  eventType: string;
  /** `receipt:<notificationId>` (money arrived) or `resolution:<notificationId>` (officer decision). */
  postingKey: string;
  notificationId: string;
  paymentId: string | null;
  amount: number;
}

export interface DeadLetterRecord {
  eventId: string | null;
  eventType: string | null;
  postingKey: string | null;
  notificationId: string | null;
  paymentId: string | null;
  amount: number | null;
  error: string;
}

export interface PostingRecord {
  transactionId: string;
  postingKey: string;
  sourceEventId: string | null;
  notificationId: string | null;
  paymentId: string | null;
  amount: number;
}

export interface ReconciliationSources {
  postings: PostingRecord[];
  events: EventRecord[];
  deadLetters: DeadLetterRecord[];
  notifications: NotificationRecord[] | null;
}

export type DifferenceKind =
  | 'notification_without_event'
  | 'event_without_notification'
  | 'event_not_posted'
  | 'posting_without_event'
  | 'amount_mismatch'
  | 'duplicate'
  | 'dead_letter_unreadable';

export interface Difference {
  kind: DifferenceKind;
  cause: string;
  notificationId?: string;
  paymentId?: string;
  amount?: number;
  details: Record<string, unknown>;
}

export interface ReconciliationOutcome {
  counts: {
    notifications: number | null;
    ignoredNotifications: number | null;
    events: number;
    deadLetters: number;
    postings: number;
  };
  /** Money arriving (receipts only), in đồng, as each source tells it. */
  totals: { notifications: number | null; events: number; postings: number };
  differences: Difference[];
  clean: boolean;
}

const RECEIPT = 'receipt:';

function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Ids in `input` keep their order of first appearance, so a report reads the same on every run. */
export function reconcile(sources: ReconciliationSources): ReconciliationOutcome {
  const differences: Difference[] = [];
  const eventsByKey = groupBy(sources.events, (e) => e.postingKey);
  const postingsByKey = new Map(sources.postings.map((p) => [p.postingKey, p]));
  const eventIds = new Set(sources.events.map((e) => e.eventId));
  // An event both dead-lettered and later received (a redelivery after a fix) is just received.
  const deadByKey = groupBy(
    sources.deadLetters.filter((d) => d.eventId === null || !eventIds.has(d.eventId)),
    (d) => d.postingKey,
  );

  for (const dead of sources.deadLetters) {
    if (dead.postingKey === null) {
      differences.push({
        kind: 'dead_letter_unreadable',
        cause: 'a payment event went to the dead letter and cannot be read: which transfer it carried is unknown',
        details: { eventId: dead.eventId, error: dead.error },
      });
    }
  }

  // (c) ↔ (b): every stored, not ignored notification was announced by an event, for the same amount.
  const notificationIds = new Set<string>();
  for (const n of sources.notifications ?? []) {
    notificationIds.add(n.notificationId);
    if (n.ignored) continue;
    const key = `${RECEIPT}${n.notificationId}`;
    const events = eventsByKey.get(key) ?? [];
    if (events.length === 0) {
      // A posting proves its event arrived; a dead letter is reported below with its own cause.
      if (!postingsByKey.has(key) && !deadByKey.has(key)) {
        differences.push({
          kind: 'notification_without_event',
          cause:
            'the payment service stored this notification but no payment event for it reached the ledger (not yet received, or lost)',
          notificationId: n.notificationId,
          amount: n.amount,
          details: {},
        });
      }
      continue;
    }
    const event = events[0];
    if (event.amount !== n.amount) {
      differences.push({
        kind: 'amount_mismatch',
        cause: 'the payment event carries another amount than the stored bank notification',
        notificationId: n.notificationId,
        paymentId: event.paymentId ?? undefined,
        amount: n.amount,
        details: { notificationAmount: n.amount, eventAmount: event.amount, eventId: event.eventId },
      });
    }
  }

  // (b) ↔ (a): every received money-moving event was posted once, for its amount.
  for (const [key, events] of eventsByKey) {
    const first = events[0];
    const posting = postingsByKey.get(key);
    if (events.length > 1) {
      differences.push({
        kind: 'duplicate',
        cause: `the same transfer arrived in ${events.length} different payment events (posted once)`,
        notificationId: first.notificationId,
        paymentId: first.paymentId ?? undefined,
        amount: first.amount,
        details: {
          postingKey: key,
          eventIds: events.map((e) => e.eventId),
          eventTypes: events.map((e) => e.eventType),
        },
      });
    }
    if (!posting) {
      differences.push({
        kind: 'event_not_posted',
        cause: 'the payment event was received but no journal transaction exists for it',
        notificationId: first.notificationId,
        paymentId: first.paymentId ?? undefined,
        amount: first.amount,
        details: { postingKey: key, eventId: first.eventId, eventType: first.eventType },
      });
    } else if (posting.amount !== first.amount) {
      differences.push({
        kind: 'amount_mismatch',
        cause: 'the journal transaction moved another amount than its payment event',
        notificationId: first.notificationId,
        paymentId: first.paymentId ?? undefined,
        amount: first.amount,
        details: {
          postingKey: key,
          eventAmount: first.amount,
          postingAmount: posting.amount,
          transactionId: posting.transactionId,
        },
      });
    }
    if (sources.notifications !== null && key.startsWith(RECEIPT) && !notificationIds.has(first.notificationId)) {
      differences.push({
        kind: 'event_without_notification',
        cause: 'the payment event names a bank notification the payment service did not list for this day',
        notificationId: first.notificationId,
        paymentId: first.paymentId ?? undefined,
        amount: first.amount,
        details: { eventId: first.eventId, eventType: first.eventType },
      });
    }
  }

  for (const [key, dead] of deadByKey) {
    if (eventsByKey.has(key) || postingsByKey.has(key)) continue;
    const first = dead[0];
    differences.push({
      kind: 'event_not_posted',
      cause: 'the payment event went to the dead letter and was not posted',
      notificationId: first.notificationId ?? undefined,
      paymentId: first.paymentId ?? undefined,
      amount: first.amount ?? undefined,
      details: { postingKey: key, eventId: first.eventId, eventType: first.eventType, error: first.error },
    });
  }

  // (a) ↔ (b): every posting caused by an event has that event on record.
  for (const posting of sources.postings) {
    if (eventsByKey.has(posting.postingKey)) continue;
    differences.push({
      kind: 'posting_without_event',
      cause: 'a journal transaction claims a payment event the ledger has no record of receiving',
      notificationId: posting.notificationId ?? undefined,
      paymentId: posting.paymentId ?? undefined,
      amount: posting.amount,
      details: {
        postingKey: posting.postingKey,
        transactionId: posting.transactionId,
        sourceEventId: posting.sourceEventId,
      },
    });
  }

  const receipts = <T extends { postingKey: string | null }>(items: T[]) =>
    items.filter((i) => i.postingKey?.startsWith(RECEIPT));
  const notifications = sources.notifications;
  return {
    counts: {
      notifications: notifications?.length ?? null,
      ignoredNotifications: notifications ? notifications.filter((n) => n.ignored).length : null,
      events: sources.events.length,
      deadLetters: sources.deadLetters.length,
      postings: sources.postings.length,
    },
    totals: {
      notifications: notifications ? sum(notifications.filter((n) => !n.ignored).map((n) => n.amount)) : null,
      events: sum([...eventsByKey.entries()].filter(([k]) => k.startsWith(RECEIPT)).map(([, e]) => e[0].amount)),
      postings: sum(receipts(sources.postings).map((p) => p.amount)),
    },
    differences,
    clean: differences.length === 0,
  };
}
