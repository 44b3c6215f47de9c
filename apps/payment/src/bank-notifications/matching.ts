import type { unattributedReasonSchema } from '@cashless/contracts';
import { extractPaymentCodes } from '@cashless/vietqr';
import { applyPayment } from '../intents/intent-state';
import type { IntentPaymentOutcome, IntentStatus } from '../intents/intent-state';
import { PAYMENT_CODE_PREFIX, isOurPaymentCode } from '../intents/payment-code';

/**
 * Matching, pure: which merchant a bank transfer belongs to and what it does to the intent its
 * payment code names. The caller looks up the intents named by `paymentCodesIn(content)` and the
 * merchants whose payout account received the money, then asks `decideMatch`.
 */

const CODE_LENGTH = PAYMENT_CODE_PREFIX.length + 8;
/** Crockford base32 reads O as 0 and I/L as 1: a code retyped by a person still matches. */
const CROCKFORD_ALIASES: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * Our payment codes (`CS` + 8 Crockford characters) in transfer content as banks deliver it:
 * any case, diacritics stripped or not, bank prefixes and suffixes (`MBVCB.3278907687.`, `IBFT`,
 * `FT25335…`, `Trace 612345`), `-`/`.`/`_` separators, or the code split by spaces or glued to
 * other words. Whole words first, then split or embedded candidates, without duplicates. Each is
 * only a candidate: the intent lookup decides.
 */
export function paymentCodesIn(content: string): string[] {
  const codes: string[] = [];
  for (const candidate of extractPaymentCodes(content, { prefix: PAYMENT_CODE_PREFIX, length: CODE_LENGTH })) {
    const body = candidate.slice(PAYMENT_CODE_PREFIX.length).replace(/[OIL]/g, (c) => CROCKFORD_ALIASES[c]);
    const code = PAYMENT_CODE_PREFIX + body;
    if (isOurPaymentCode(code) && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

export type UnattributedReason = (typeof unattributedReasonSchema.options)[number];

export interface TransferToMatch {
  bankBin: string;
  accountNumber: string;
  amount: number;
}

/** An intent a code in the content named, locked by the caller, with what it received so far. */
export interface IntentCandidate {
  id: string;
  merchantId: string;
  paymentCode: string;
  status: IntentStatus;
  amount: number;
  /** Sum of the earlier payments that counted toward its amount. */
  received: number;
  expiresAt: Date;
  /** The payout account its QR pays into. */
  bankBin: string;
  accountNumber: string;
}

/** A merchant (any status: a suspended merchant's transfers are still recorded) owning the receiving account. */
export interface AccountOwner {
  merchantId: string;
  status: string;
}

export interface MatchInput {
  transfer: TransferToMatch;
  /** The codes found in the content, in `paymentCodesIn` order. */
  codes: string[];
  /** The intents those codes name (any order). */
  intents: IntentCandidate[];
  owners: AccountOwner[];
  now: Date;
}

export type MatchDecision =
  | {
      kind: 'intent';
      merchantId: string;
      intent: IntentCandidate;
      outcome: IntentPaymentOutcome;
      /** The intent's status after this transfer. */
      intentStatus: IntentStatus;
      /** Whether the amount counts toward the intent's total. */
      counted: boolean;
    }
  | { kind: 'static'; merchantId: string }
  | { kind: 'unattributed'; reason: UnattributedReason; intentId: string | null };

function paidInto(intent: IntentCandidate, transfer: TransferToMatch, owners: AccountOwner[]): boolean {
  const ownAccount = intent.bankBin === transfer.bankBin && intent.accountNumber === transfer.accountNumber;
  return ownAccount || owners.some((o) => o.merchantId === intent.merchantId);
}

/**
 * - A code names an intent and the money went to its account or another payout account of the
 *   same merchant → the intent's rules (`applyPayment`).
 * - A code names an intent but the money went elsewhere → unattributed `account_mismatch`.
 * - No code of ours names an intent → the receiving account decides: one merchant → its
 *   static-QR payment; several → `shared_account`; none → `unknown_account`.
 */
export function decideMatch(input: MatchInput): MatchDecision {
  const { transfer, owners } = input;
  const named = input.codes
    .map((code) => input.intents.find((i) => i.paymentCode === code))
    .filter((i): i is IntentCandidate => i !== undefined);
  const intent = named.find((i) => paidInto(i, transfer, owners));
  if (intent) {
    const applied = applyPayment(intent, transfer.amount, input.now);
    return {
      kind: 'intent',
      merchantId: intent.merchantId,
      intent,
      outcome: applied.outcome,
      intentStatus: applied.to,
      counted: applied.counted,
    };
  }
  if (named.length > 0) return { kind: 'unattributed', reason: 'account_mismatch', intentId: named[0].id };
  const merchants = [...new Set(owners.map((o) => o.merchantId))];
  if (merchants.length === 1) return { kind: 'static', merchantId: merchants[0] };
  return { kind: 'unattributed', reason: merchants.length > 1 ? 'shared_account' : 'unknown_account', intentId: null };
}
