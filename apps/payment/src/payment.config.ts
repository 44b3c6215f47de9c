import { z } from 'zod';
import { loadConfig } from '@cashless/config';
import type { MerchantAuthOptions } from './auth/merchant-auth';
import type { ExpiryOptions } from './intents/intent-expiry.job';

/** Variables of the payment service's own domain, validated at boot. */
export const paymentEnv = z.object({
  /** The merchant service, asked who an API key belongs to (ADR 0010). */
  MERCHANT_URL: z.url().default('http://127.0.0.1:8081'),
  MERCHANT_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  PAYMENT_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),

  // --- bank notifications (intake and provider adapters) ---
  /** Secret of the canonical `generic` feed (HMAC-SHA256 over "<t>.<raw body>"). */
  BANK_WEBHOOK_SECRET: z.string().min(16).default('dev-bank-webhook-secret'),
  /** How far `t` of a signature may be from now. */
  BANK_SIGNATURE_WINDOW_SECONDS: z.coerce.number().int().min(30).max(3_600).default(300),
  /** Provider secrets; an adapter whose secret is unset answers 404 (the feed is not configured). */
  SEPAY_API_KEY: z.string().min(8).optional(),
  /** SePay's HMAC-SHA256 variant (`X-SePay-Signature` over "<X-SePay-Timestamp>.<raw body>"); either SePay secret enables the feed. */
  SEPAY_WEBHOOK_SECRET: z.string().min(8).optional(),
  CASSO_CHECKSUM_KEY: z.string().min(8).optional(),
  PAYOS_CHECKSUM_KEY: z.string().min(8).optional(),

  // --- merchant webhooks ---
  WEBHOOK_DELIVERY_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * May webhook URLs point at loopback/private addresses? Unset: yes, except when NODE_ENV=production
   * (local development and tests post to 127.0.0.1; production must not reach internal hosts).
   */
  WEBHOOK_ALLOW_PRIVATE: z.stringbool().optional(),
});

export type PaymentEnv = z.output<typeof paymentEnv>;

export interface PaymentConfig {
  env: PaymentEnv;
  auth: MerchantAuthOptions;
  expiry: ExpiryOptions;
}

/** Injection token of the validated PaymentConfig. */
export const PAYMENT_CONFIG = Symbol('PAYMENT_CONFIG');

export function loadPaymentConfig(): PaymentConfig {
  const env = loadConfig(paymentEnv);
  return {
    env,
    auth: { merchantUrl: env.MERCHANT_URL, cacheTtlMs: env.MERCHANT_AUTH_CACHE_MS, timeoutMs: 3_000 },
    expiry: { intervalMs: env.PAYMENT_EXPIRY_INTERVAL_MS },
  };
}
