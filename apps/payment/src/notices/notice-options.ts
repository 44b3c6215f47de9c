import { serviceEnv, loadConfig } from '@cashless/config';
import type { PaymentConfig } from '../payment.config';

export const NOTICE_OPTIONS = Symbol('NOTICE_OPTIONS');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface NoticeOptions {
  /** How often due webhook deliveries are looked for; 0 turns the worker off (tests call `deliverDue`). */
  deliveryIntervalMs: number;
  /** Time allowed for a merchant's endpoint to answer one delivery. */
  deliveryTimeoutMs: number;
  /** Deliveries claimed at once by one worker (and sent in parallel). */
  deliveryBatchSize: number;
  /** May webhooks reach loopback/private addresses (development and tests) or not (production). */
  allowPrivateAddresses: boolean;
  /** Open live-feed connections per merchant on one instance. */
  maxFeedConnectionsPerMerchant: number;
  /** A comment line on every feed this often, so idle proxies keep the stream open. */
  heartbeatMs: number;
  /** Open feeds also catch up from the database this often (a push lost after a crash). */
  feedCatchUpMs: number;
  /** What EventSource is told to wait before reconnecting. */
  reconnectMs: number;
  /** Announced payments kept for replay (`Last-Event-ID`). */
  noticeRetentionMs: number;
  /** Settled webhook deliveries (and their attempts) kept for the delivery log. */
  deliveryRetentionMs: number;
  /** How long the secret before a rotation still signs deliveries, so receivers can switch over. */
  previousSecretValidityMs: number;
}

export function noticeOptionsFrom(config: PaymentConfig): NoticeOptions {
  const { env } = config;
  return {
    deliveryIntervalMs: env.WEBHOOK_DELIVERY_INTERVAL_MS,
    deliveryTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    deliveryBatchSize: 10,
    allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE ?? loadConfig(serviceEnv).NODE_ENV !== 'production',
    maxFeedConnectionsPerMerchant: 20,
    heartbeatMs: 15_000,
    feedCatchUpMs: 5_000,
    reconnectMs: 3_000,
    noticeRetentionMs: 7 * DAY,
    deliveryRetentionMs: 30 * DAY,
    previousSecretValidityMs: 24 * HOUR,
  };
}
