import { PaymentEventTypes } from '@cashless/contracts';
import type {
  BankTransfer,
  EventEnvelope,
  PaymentRecordedData,
  UnattributedTransferAssignedData,
  UnattributedTransferDismissedData,
  UnattributedTransferReceivedData,
} from '@cashless/contracts';
import { DISMISSED, SUSPENSE, bankAccount, takingsAccount } from './accounts';
import type { Account } from './accounts';
import { ProposedTransaction, assertBalanced, instant } from './transaction';

/**
 * Posting rules: payment events → balanced journal transactions. Pure functions of the event.
 *
 * | event                                   | posting key                   | debit                   | credit                             |
 * |-----------------------------------------|-------------------------------|-------------------------|------------------------------------|
 * | intent_succeeded / underpaid / overpaid | `receipt:<notificationId>`    | `bank:<bin>:<acct>`     | `merchant:<id>:takings:dynamic_qr` |
 * | payment_needs_review                    | `receipt:<notificationId>`    | `bank:<bin>:<acct>`     | `merchant:<id>:takings:<channel>`  |
 * | static_payment_received                 | `receipt:<notificationId>`    | `bank:<bin>:<acct>`     | `merchant:<id>:takings:static_qr`  |
 * | unattributed_transfer_received          | `receipt:<notificationId>`    | `bank:<bin>:<acct>`     | `suspense:unattributed`            |
 * | unattributed_transfer_assigned          | `resolution:<notificationId>` | `suspense:unattributed` | `merchant:<id>:takings:static_qr`  |
 * | unattributed_transfer_dismissed         | `resolution:<notificationId>` | `suspense:unattributed` | `suspense:dismissed`               |
 * | intent_created / canceled / expired     | — (no money moves)            |                         |                                    |
 *
 * One bank notification is received once (`receipt:`) whichever event carries it, and resolved
 * at most once (`resolution:`): an assignment and a dismissal of the same transfer cannot both post.
 * The whole transferred amount is the merchant's takings, whatever the intent asked for
 * (under- and overpayments are money that did arrive in the shop's account).
 */
export function postingFor(envelope: EventEnvelope): ProposedTransaction | null {
  const source = { eventId: envelope.id, eventType: envelope.type };
  switch (envelope.type) {
    case PaymentEventTypes.intentSucceeded:
    case PaymentEventTypes.intentUnderpaid:
    case PaymentEventTypes.intentOverpaid:
    case PaymentEventTypes.paymentNeedsReview:
    case PaymentEventTypes.staticPaymentReceived: {
      const data = envelope.data as PaymentRecordedData;
      const memo: Record<string, string> = { outcome: data.outcome };
      if (data.intentId) memo.intentId = data.intentId;
      return balanced({
        postingKey: receiptKey(data.transfer.notificationId),
        rule: 'payment_received',
        source,
        merchantId: data.merchantId,
        channel: data.channel,
        paymentId: data.paymentId,
        notificationId: data.transfer.notificationId,
        effectiveAt: instant(data.transfer.transferredAt),
        memo,
        entries: moneyArrived(data.transfer, takingsAccount(data.merchantId, data.channel)),
      });
    }
    case PaymentEventTypes.unattributedTransferReceived: {
      const data = envelope.data as UnattributedTransferReceivedData;
      return balanced({
        postingKey: receiptKey(data.transfer.notificationId),
        rule: 'transfer_unattributed',
        source,
        merchantId: null,
        channel: null,
        paymentId: null,
        notificationId: data.transfer.notificationId,
        effectiveAt: instant(data.transfer.transferredAt),
        memo: { unattributedId: data.unattributedId, reason: data.reason },
        entries: moneyArrived(data.transfer, SUSPENSE),
      });
    }
    case PaymentEventTypes.unattributedTransferAssigned: {
      const data = envelope.data as UnattributedTransferAssignedData;
      return resolved(data.transfer, takingsAccount(data.merchantId, 'static_qr'), {
        rule: 'transfer_assigned',
        source,
        merchantId: data.merchantId,
        // The payment service records an assigned transfer as a payment without an intent.
        channel: 'static_qr',
        paymentId: data.paymentId,
        effectiveAt: instant(data.assignedAt),
        memo: { unattributedId: data.unattributedId, officer: data.officer },
      });
    }
    case PaymentEventTypes.unattributedTransferDismissed: {
      const data = envelope.data as UnattributedTransferDismissedData;
      return resolved(data.transfer, DISMISSED, {
        rule: 'transfer_dismissed',
        source,
        merchantId: null,
        channel: null,
        paymentId: null,
        effectiveAt: instant(data.dismissedAt),
        memo: { unattributedId: data.unattributedId, officer: data.officer, reason: data.reason },
      });
    }
    default:
      // intent_created / canceled / expired move no money; unknown types never reach here (catalog).
      return null;
  }
}

/** The postings of a batch of events, each with the trace id of its event. */
export function postingsFor(envelopes: EventEnvelope[]): { tx: ProposedTransaction; traceId: string }[] {
  return envelopes.flatMap((envelope) => {
    const tx = postingFor(envelope);
    return tx ? [{ tx, traceId: envelope.traceId }] : [];
  });
}

export function receiptKey(notificationId: string): string {
  return `receipt:${notificationId}`;
}

export function resolutionKey(notificationId: string): string {
  return `resolution:${notificationId}`;
}

/** Money arrived in a bank account: the mirror is debited, `credit` says whose it is. */
function moneyArrived(transfer: BankTransfer, credit: Account) {
  const amount = BigInt(transfer.amount);
  return [
    { account: bankAccount(transfer.bankBin, transfer.accountNumber), side: 'debit' as const, amount },
    { account: credit, side: 'credit' as const, amount },
  ];
}

/** An officer resolved a queued transfer: it leaves suspense for `credit`, once per notification. */
function resolved(
  transfer: BankTransfer,
  credit: Account,
  fields: Omit<ProposedTransaction, 'postingKey' | 'notificationId' | 'entries'>,
): ProposedTransaction {
  const amount = BigInt(transfer.amount);
  return balanced({
    ...fields,
    postingKey: resolutionKey(transfer.notificationId),
    notificationId: transfer.notificationId,
    entries: [
      { account: SUSPENSE, side: 'debit', amount },
      { account: credit, side: 'credit', amount },
    ],
  });
}

function balanced(tx: ProposedTransaction): ProposedTransaction {
  assertBalanced(tx);
  return tx;
}
