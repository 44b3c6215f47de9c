import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { reconcile } from './reconciliation';
import type { DifferenceKind, ReconciliationSources } from './reconciliation';

type Fault =
  | 'lost'
  | 'dead_lettered'
  | 'not_posted'
  | 'event_amount'
  | 'posting_amount'
  | 'posting_without_event'
  | 'duplicate'
  | 'unknown_notification';

/** What each injected fault must be reported as (one difference per fault). */
const expectedKind: Record<Fault, DifferenceKind> = {
  lost: 'notification_without_event',
  dead_lettered: 'event_not_posted',
  not_posted: 'event_not_posted',
  event_amount: 'amount_mismatch',
  posting_amount: 'amount_mismatch',
  posting_without_event: 'posting_without_event',
  duplicate: 'duplicate',
  unknown_notification: 'event_without_notification',
};

interface Transfer {
  amount: number;
  ignored: boolean;
  /** An officer later assigned or dismissed it (a resolution event and posting of its own). */
  resolved: boolean;
  fault: Fault | null;
}

/** A consistent day (every source agrees), then each transfer's fault applied to it. */
function day(transfers: Transfer[]): ReconciliationSources {
  const s: ReconciliationSources = { postings: [], events: [], deadLetters: [], notifications: [] };
  transfers.forEach((t, i) => {
    const notificationId = `n-${i}`;
    const paymentId = `p-${i}`;
    if (t.fault !== 'unknown_notification') {
      s.notifications!.push({ notificationId, amount: t.amount, ignored: t.ignored });
    }
    if (t.ignored) return;
    const key = `receipt:${notificationId}`;
    const event = {
      eventId: `e-${i}`,
      eventType: 'payment.intent_succeeded',
      postingKey: key,
      notificationId,
      paymentId,
      amount: t.amount,
    };
    const posting = {
      transactionId: `t-${i}`,
      postingKey: key,
      sourceEventId: event.eventId,
      notificationId,
      paymentId,
      amount: t.amount,
    };
    switch (t.fault) {
      case 'lost':
        break;
      case 'dead_lettered':
        s.deadLetters.push({ ...event, error: 'handler failed' });
        break;
      case 'not_posted':
        s.events.push(event);
        break;
      case 'event_amount':
        s.events.push({ ...event, amount: t.amount + 1 });
        s.postings.push({ ...posting, amount: t.amount + 1 });
        break;
      case 'posting_amount':
        s.events.push(event);
        s.postings.push({ ...posting, amount: t.amount + 1 });
        break;
      case 'posting_without_event':
        s.postings.push(posting);
        break;
      case 'duplicate':
        s.events.push(event, { ...event, eventId: `e-${i}-again`, eventType: 'payment.payment_needs_review' });
        s.postings.push(posting);
        break;
      default:
        s.events.push(event);
        s.postings.push(posting);
    }
    if (t.resolved) {
      const rkey = `resolution:${notificationId}`;
      s.events.push({
        ...event,
        eventId: `r-${i}`,
        eventType: 'payment.unattributed_transfer_assigned',
        postingKey: rkey,
      });
      s.postings.push({ ...posting, transactionId: `rt-${i}`, postingKey: rkey, sourceEventId: `r-${i}` });
    }
  });
  return s;
}

const faults: Fault[] = Object.keys(expectedKind) as Fault[];

const arbitraryTransfer = fc
  .record({
    amount: fc.integer({ min: 1, max: 499_999_998 }),
    ignored: fc.boolean(),
    resolved: fc.boolean(),
    fault: fc.option(fc.constantFrom(...faults), { freq: 3 }),
  })
  .map((t): Transfer => (t.ignored ? { ...t, resolved: false, fault: null } : t));

const asPairs = (items: { kind: string; notificationId?: string }[]) =>
  items.map((d) => `${d.kind} ${d.notificationId}`).sort();

describe('reconcile', () => {
  it('a consistent day is clean, with totals from each source', () => {
    const outcome = reconcile(
      day([
        { amount: 50_000, ignored: false, resolved: false, fault: null },
        { amount: 20_000, ignored: false, resolved: true, fault: null },
        { amount: 9_000, ignored: true, resolved: false, fault: null },
      ]),
    );
    expect(outcome).toEqual({
      counts: { notifications: 3, ignoredNotifications: 1, events: 3, deadLetters: 0, postings: 3 },
      totals: { notifications: 70_000, events: 70_000, postings: 70_000 },
      differences: [],
      clean: true,
    });
  });

  it('names the cause of each kind of difference', () => {
    const outcome = reconcile(
      day([
        { amount: 1, ignored: false, resolved: false, fault: 'lost' },
        { amount: 2, ignored: false, resolved: false, fault: 'dead_lettered' },
      ]),
    );
    expect(outcome.clean).toBe(false);
    expect(outcome.differences).toEqual([
      expect.objectContaining({
        kind: 'notification_without_event',
        notificationId: 'n-0',
        amount: 1,
        cause: expect.stringMatching(/lost/),
      }),
      expect.objectContaining({
        kind: 'event_not_posted',
        notificationId: 'n-1',
        paymentId: 'p-1',
        cause: expect.stringMatching(/dead letter/),
      }),
    ]);
  });

  it('without the bank notifications, compares events with postings only', () => {
    const sources = { ...day([{ amount: 5, ignored: false, resolved: false, fault: 'lost' }]), notifications: null };
    expect(reconcile(sources)).toMatchObject({
      counts: { notifications: null },
      totals: { notifications: null },
      clean: true,
    });
  });

  it('reports a dead letter it cannot read', () => {
    const outcome = reconcile({
      ...day([]),
      deadLetters: [
        {
          eventId: null,
          eventType: null,
          postingKey: null,
          notificationId: null,
          paymentId: null,
          amount: null,
          error: 'not JSON',
        },
      ],
    });
    expect(asPairs(outcome.differences)).toEqual(['dead_letter_unreadable undefined']);
  });

  it('property: every injected fault is reported, with its kind and transfer, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTransfer, { maxLength: 60 }), (transfers) => {
        const outcome = reconcile(day(transfers));
        const injected = transfers.flatMap((t, i) =>
          t.fault ? [{ kind: expectedKind[t.fault], notificationId: `n-${i}` }] : [],
        );
        expect(asPairs(outcome.differences)).toEqual(asPairs(injected));
        expect(outcome.clean).toBe(injected.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the order of rows within each source changes nothing', () => {
    fc.assert(
      fc.property(fc.array(arbitraryTransfer, { maxLength: 30 }), fc.integer(), (transfers, seed) => {
        const sources = day(transfers);
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 101 }))
            .sort((a, b) => a.k - b.k)
            .map((p) => p.x);
        const shuffled = {
          postings: shuffle(sources.postings),
          events: shuffle(sources.events),
          deadLetters: shuffle(sources.deadLetters),
          notifications: shuffle(sources.notifications!),
        };
        const a = reconcile(sources);
        const b = reconcile(shuffled);
        expect(asPairs(b.differences)).toEqual(asPairs(a.differences));
        expect(b.totals).toEqual(a.totals);
      }),
    );
  });
});
