import { z } from 'zod';
import { Topics } from '@cashless/contracts';
import { loadConfig } from '@cashless/config';

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a Kafka topic name');

/** Variables of the ledger's own domain, validated at boot. */
export const ledgerEnv = z.object({
  /**
   * Kafka consumer group, also the inbox's consumer name. Change it only to run a ledger beside
   * another one on the same broker (tests, benchmarks): a new group starts from the topic's start.
   */
  LEDGER_CONSUMER_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/)
    .default('ledger'),
  /** Where payment events are read from (tests and benchmarks point it at a topic of their own). */
  LEDGER_PAYMENT_TOPIC: topicName.default(Topics.paymentEvents),
  /** Where `ledger.transaction_posted` is published. */
  LEDGER_EVENTS_TOPIC: topicName.default(Topics.ledgerEvents),
  /** The merchant service, asked who a credential belongs to (refund API; ADR 0010). */
  MERCHANT_URL: z.url().default('http://127.0.0.1:8081'),
  MERCHANT_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The payment service, asked for the day's bank notifications (reconciliation). */
  PAYMENT_URL: z.url().default('http://127.0.0.1:8082'),
  /** How often the previous day is reconciled; 0 = never (on demand only). */
  LEDGER_RECONCILIATION_INTERVAL_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** An officer credential the scheduled reconciliation reads bank notifications with; unset = skip them. */
  LEDGER_RECONCILIATION_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{1,2000}$/)
    .optional(),
});

export type LedgerEnv = z.output<typeof ledgerEnv>;

export interface LedgerConfig {
  consumerGroup: string;
  paymentTopic: string;
  eventsTopic: string;
  merchantUrl: string;
  merchantAuthCacheMs: number;
  paymentUrl: string;
  reconciliationIntervalMs: number;
  reconciliationToken: string | null;
}

/** Injection token of the validated LedgerConfig. */
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

export function loadLedgerConfig(env: Record<string, string | undefined> = process.env): LedgerConfig {
  const parsed = loadConfig(ledgerEnv, env);
  return {
    consumerGroup: parsed.LEDGER_CONSUMER_GROUP,
    paymentTopic: parsed.LEDGER_PAYMENT_TOPIC,
    eventsTopic: parsed.LEDGER_EVENTS_TOPIC,
    merchantUrl: parsed.MERCHANT_URL,
    merchantAuthCacheMs: parsed.MERCHANT_AUTH_CACHE_MS,
    paymentUrl: parsed.PAYMENT_URL,
    reconciliationIntervalMs: parsed.LEDGER_RECONCILIATION_INTERVAL_MS,
    reconciliationToken: parsed.LEDGER_RECONCILIATION_TOKEN ?? null,
  };
}
