import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createEnvelope } from '@cashless/contracts';
import type { BankTransfer, EventEnvelope, PaymentOutcome } from '@cashless/contracts';
import {
  bankTransfer,
  intentCreated,
  paymentRecorded,
  redelivered,
  unattributedAssigned,
  unattributedDismissed,
  unattributedReceived,
} from '../../test/payment-events';
import { DISMISSED, SUSPENSE, bankAccount, takingsAccount } from './accounts';
import { verifyChains } from './hash-chain';
import type { ChainLink } from './hash-chain';
import { MemoryLedger } from './memory-ledger';
import type { Totals } from './memory-ledger';
import { postingFor } from './posting-rules';
import { assertBalanced, reverse } from './transaction';

/**
 * Invariants of the journal under what Kafka and the payment service can do to the event stream:
 * duplicates, redeliveries (same event again), republishing (same transfer in a new event),
 * reordering, arbitrary batch boundaries and poison events.
 */
const MERCHANTS = [
  '0190a5c4-1111-7000-8000-000000000001',
  '0190a5c4-1111-7000-8000-000000000002',
  '0190a5c4-1111-7000-8000-000000000003',
];
const ACCOUNTS = [
  ['970436', '0011001234567'],
  ['970422', '0987654321'],
  ['970415', '101010101010'],
] as const;
const LANES = 3;

type StoryKind = PaymentOutcome | 'unattributed' | 'assigned' | 'dismissed' | 'intent_only';

/** One bank transfer (or none, for `intent_only`) and what became of it. */
interface Story {
  kind: StoryKind;
  merchant: string;
  transfer: BankTransfer;
}

const storyArb: fc.Arbitrary<Story> = fc
  .record({
    kind: fc.constantFrom<StoryKind>(
      'succeeded',
      'underpaid',
      'overpaid',
      'needs_review',
      'static',
      'unattributed',
      'assigned',
      'dismissed',
      'intent_only',
    ),
    merchant: fc.constantFrom(...MERCHANTS),
    account: fc.constantFrom(...ACCOUNTS),
    amount: fc.integer({ min: 1, max: 499_999_999 }),
    notificationId: fc.uuid({ version: 4 }),
    transferredAt: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
  })
  .map(({ kind, merchant, account, amount, notificationId, transferredAt }) => ({
    kind,
    merchant,
    transfer: bankTransfer({
      notificationId,
      bankBin: account[0],
      accountNumber: account[1],
      amount,
      transferredAt: new Date(transferredAt).toISOString(),
    }),
  }));

/** The events the payment service publishes for a story, in its order. */
function eventsOf(story: Story): EventEnvelope[] {
  const { kind, merchant, transfer } = story;
  switch (kind) {
    case 'intent_only':
      return [intentCreated(merchant)];
    case 'unattributed':
      return [unattributedReceived(transfer)];
    case 'assigned':
      return [unattributedReceived(transfer), unattributedAssigned(transfer, merchant)];
    case 'dismissed':
      return [unattributedReceived(transfer), unattributedDismissed(transfer)];
    case 'static':
      return [paymentRecorded(merchant, transfer, { outcome: 'static' })];
    default:
      return [intentCreated(merchant, transfer.amount), paymentRecorded(merchant, transfer, { outcome: kind })];
  }
}

/** What every account must hold once each story was posted once, whatever the stream did. */
function expectedTotals(stories: Story[]): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  const add = (code: string, side: 'debit' | 'credit', amount: number) => {
    const t = totals.get(code) ?? { debits: 0n, credits: 0n };
    if (side === 'debit') t.debits += BigInt(amount);
    else t.credits += BigInt(amount);
    totals.set(code, t);
  };
  for (const { kind, merchant, transfer } of stories) {
    if (kind === 'intent_only') continue;
    add(bankAccount(transfer.bankBin, transfer.accountNumber).code, 'debit', transfer.amount);
    if (kind === 'unattributed' || kind === 'assigned' || kind === 'dismissed') {
      add(SUSPENSE.code, 'credit', transfer.amount);
      if (kind === 'assigned') add(takingsAccount(merchant, 'static_qr').code, 'credit', transfer.amount);
      if (kind === 'dismissed') add(DISMISSED.code, 'credit', transfer.amount);
      if (kind !== 'unattributed') add(SUSPENSE.code, 'debit', transfer.amount);
    } else {
      add(takingsAccount(merchant, kind === 'static' ? 'static_qr' : 'dynamic_qr').code, 'credit', transfer.amount);
    }
  }
  return totals;
}

/** The stream as the ledger may see it: stories' events plus duplicates, republished copies, shuffled. */
const historyArb = fc
  .uniqueArray(storyArb, { minLength: 1, maxLength: 25, selector: (s) => s.transfer.notificationId })
  .chain((stories) => {
    const events = stories.flatMap(eventsOf);
    return fc
      .record({
        duplicates: fc.array(fc.nat(events.length - 1), { maxLength: 10 }),
        republished: fc.array(fc.nat(events.length - 1), { maxLength: 5 }),
        order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
          minLength: events.length + 15,
          maxLength: events.length + 15,
        }),
        batchSize: fc.integer({ min: 1, max: 12 }),
      })
      .map(({ duplicates, republished, order, batchSize }) => {
        const stream = [
          ...events,
          ...duplicates.map((i) => redelivered(events[i])),
          // The same transfer in a new envelope (a new event id): only the posting key can catch it.
          ...republished.map((i) => createEnvelope({ ...events[i], id: undefined, occurredAt: new Date() })),
        ];
        const shuffled = stream
          .map((event, i) => ({ event, rank: order[i] ?? 0 }))
          .sort((a, b) => a.rank - b.rank)
          .map((x) => x.event);
        return { stories, stream: shuffled, batchSize };
      });
  });

/** Kafka's view: a key always maps to the same partition (lane). */
function laneOf(envelope: EventEnvelope): string {
  let h = 0;
  for (const c of envelope.key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `lane-${h % LANES}`;
}

/** Feeds the stream in batches; each batch is split by lane, as partitions are consumed. */
function postAll(ledger: MemoryLedger, stream: EventEnvelope[], batchSize: number): void {
  for (let i = 0; i < stream.length; i += batchSize) {
    const byLane = new Map<string, EventEnvelope[]>();
    for (const e of stream.slice(i, i + batchSize)) byLane.set(laneOf(e), [...(byLane.get(laneOf(e)) ?? []), e]);
    for (const [lane, batch] of byLane) ledger.postEvents(lane, batch);
  }
}

function sorted(map: Map<string, Totals>): [string, Totals][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

function byChain(links: ChainLink[]): ChainLink[] {
  return [...links].sort((a, b) =>
    a.chainId === b.chainId ? a.chainSeq - b.chainSeq : a.chainId < b.chainId ? -1 : 1,
  );
}

describe('journal invariants (property-based)', () => {
  it('posting rules produce a balanced transaction with positive amounts for every event kind', () => {
    fc.assert(
      fc.property(storyArb, (story) => {
        for (const event of eventsOf(story)) {
          const tx = postingFor(event);
          if (tx === null) expect(event.type).toBe('payment.intent_created');
          else expect(() => assertBalanced(tx)).not.toThrow();
        }
      }),
    );
  });

  it('each transfer posts once whatever the stream does; debits = credits; balances = sums of entries = the model', () => {
    fc.assert(
      fc.property(historyArb, ({ stories, stream, batchSize }) => {
        const ledger = new MemoryLedger();
        postAll(ledger, stream, batchSize);

        const receipts = stories.filter((s) => s.kind !== 'intent_only').length;
        const resolutions = stories.filter((s) => s.kind === 'assigned' || s.kind === 'dismissed').length;
        expect(ledger.links).toHaveLength(receipts + resolutions);

        const balances = ledger.balances();
        let debits = 0n;
        let credits = 0n;
        for (const t of balances.values()) {
          debits += t.debits;
          credits += t.credits;
        }
        expect(debits).toBe(credits);
        expect(sorted(balances)).toEqual(sorted(ledger.entryTotals()));
        expect(sorted(balances)).toEqual(sorted(expectedTotals(stories)));
        expect(verifyChains(ledger.links)).toMatchObject({ ok: true, checked: ledger.links.length });
      }),
    );
  });

  it('replaying the history into an empty ledger yields identical balances and chains, whatever the batch sizes', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 50 }), ({ stream, batchSize }, replayBatchSize) => {
        const original = new MemoryLedger();
        postAll(original, stream, batchSize);
        const replay = new MemoryLedger();
        postAll(replay, stream, replayBatchSize);
        // Lanes interleave differently with other batch sizes; each lane's chain must not change.
        expect(byChain(replay.links)).toEqual(byChain(original.links));
        expect(sorted(replay.balances())).toEqual(sorted(original.balances()));
        expect(replay.chainHeads()).toEqual(original.chainHeads());
      }),
    );
  });

  it('a rejected batch leaves no trace', () => {
    fc.assert(
      fc.property(historyArb, fc.nat(), ({ stream, batchSize }, at) => {
        const ledger = new MemoryLedger();
        const split = at % (stream.length + 1);
        postAll(ledger, stream.slice(0, split), batchSize);
        const before = { links: [...ledger.links], balances: sorted(ledger.balances()), heads: ledger.chainHeads() };

        const poison = paymentRecorded(MERCHANTS[0], bankTransfer({ amount: 0 }));
        const batch = [...stream.slice(split, split + batchSize), poison as EventEnvelope];
        expect(() => ledger.postEvents('lane-0', batch)).toThrow(/not > 0/);

        expect(ledger.links).toEqual(before.links);
        expect(sorted(ledger.balances())).toEqual(before.balances);
        expect(ledger.chainHeads()).toEqual(before.heads);
      }),
    );
  });

  it('a transaction followed by its reversal leaves every balance as it was', () => {
    fc.assert(
      fc.property(historyArb, ({ stream, batchSize }) => {
        const ledger = new MemoryLedger();
        postAll(ledger, stream, batchSize);
        const before = sorted(ledger.balances()).map(([code, t]) => [code, t.debits - t.credits]);
        const [first] = stream.map(postingFor).filter((t) => t !== null);
        if (!first) return;
        const source = { eventId: '0190a5c4-0000-7000-8000-00000000abcd', eventType: 'test.correction' };
        ledger.post('lane-0', [reverse(first, { effectiveAt: '2027-01-02T00:00:00Z', reason: 'test', source })]);
        ledger.post('lane-1', [{ ...first, postingKey: `repost:${first.postingKey}` }]);
        const after = sorted(ledger.balances()).map(([code, t]) => [code, t.debits - t.credits]);
        expect(after).toEqual(before);
      }),
    );
  });

  it('changing any posted amount, account or time breaks the chain at that transaction', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.nat(),
        fc.constantFrom('amount', 'account', 'effectiveAt', 'memo'),
        (h, pick, field) => {
          const ledger = new MemoryLedger();
          postAll(ledger, h.stream, h.batchSize);
          if (ledger.links.length === 0) return;
          const victim = ledger.links[pick % ledger.links.length];
          const tampered = ledger.links.map((link) => {
            if (link !== victim) return link;
            const [e0, ...rest] = link.entries;
            switch (field) {
              case 'amount':
                return { ...link, entries: [{ ...e0, amount: e0.amount + 1n }, ...rest] };
              case 'account':
                return { ...link, entries: [{ ...e0, accountCode: `${e0.accountCode}x` }, ...rest] };
              case 'effectiveAt':
                return { ...link, effectiveAt: '2020-01-01T00:00:00.000Z' };
              default:
                return { ...link, memo: { ...link.memo, note: 'edited' } };
            }
          });
          const result = verifyChains(tampered);
          expect(result).toMatchObject({
            ok: false,
            broken: { chainId: victim.chainId, chainSeq: victim.chainSeq, transactionId: victim.id },
          });
        },
      ),
    );
  });
});
