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
});

export function loadPaymentConfig(): { auth: MerchantAuthOptions; expiry: ExpiryOptions } {
  const env = loadConfig(paymentEnv);
  return {
    auth: { merchantUrl: env.MERCHANT_URL, cacheTtlMs: env.MERCHANT_AUTH_CACHE_MS, timeoutMs: 3_000 },
    expiry: { intervalMs: env.PAYMENT_EXPIRY_INTERVAL_MS },
  };
}
