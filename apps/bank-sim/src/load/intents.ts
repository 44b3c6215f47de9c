import { randomUUID } from 'node:crypto';
import type { Sender } from '../delivery/sender';
import { randomAmount, type AmountRange } from './load-run';

export const PAYMENT_INTENTS_PATH = '/api/v1/payment-intents';

export interface LoadMerchant {
  /** The merchant's API key (`Authorization: Bearer <apiKey>`). */
  apiKey: string;
}

/**
 * `createDynamicPayload` for a load run: creates a payment intent through the platform's public
 * API for the merchants in turn (a random amount, a fresh Idempotency-Key) and returns its QR.
 */
export function intentCreator(options: {
  gatewayUrl: string;
  send: Sender;
  merchants: readonly LoadMerchant[];
  amounts: AmountRange;
  random?: () => number;
}): (sequence: number) => Promise<string> {
  const url = new URL(PAYMENT_INTENTS_PATH, options.gatewayUrl).toString();
  const random = options.random ?? Math.random;
  return async (sequence) => {
    const merchant = options.merchants[sequence % options.merchants.length];
    const amount = randomAmount(options.amounts, random);
    const answer = await options.send({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${merchant.apiKey}`,
        'idempotency-key': `bank-sim-load-${randomUUID()}`,
      },
      body: JSON.stringify({ amount, description: 'Load test' }),
    });
    if (answer.status !== 201) throw new Error(`payment intent not created: HTTP ${answer.status}`);
    const { qrPayload } = JSON.parse(answer.body) as { qrPayload?: unknown };
    if (typeof qrPayload !== 'string') throw new Error('payment intent answer has no qrPayload');
    return qrPayload;
  };
}
