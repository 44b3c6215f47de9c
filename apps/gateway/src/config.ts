import { z } from 'zod';

import { DEFAULT_RATE_LIMITS } from './routing/rate-limits';
import type { RateLimits } from './routing/rate-limits';

const httpUrl = z.url({ protocol: /^https?$/ });
const perMinute = (fallback: number) => z.coerce.number().int().min(0).max(100_000_000).default(fallback);

/** Where the gateway finds each service's HTTP API. */
export const gatewayEnv = z.object({
  MERCHANT_URL: httpUrl.default('http://127.0.0.1:8081'),
  PAYMENT_URL: httpUrl.default('http://127.0.0.1:8082'),
  LEDGER_URL: httpUrl.default('http://127.0.0.1:8083'),
  ANALYTICS_URL: httpUrl.default('http://127.0.0.1:8084'),
  // Requests per minute per class (see routing/rate-limits.ts); 0 turns a class's limit off.
  RATE_LIMIT_LOGIN: perMinute(DEFAULT_RATE_LIMITS.login),
  RATE_LIMIT_REGISTER: perMinute(DEFAULT_RATE_LIMITS.register),
  RATE_LIMIT_REPORT: perMinute(DEFAULT_RATE_LIMITS.report),
  RATE_LIMIT_PUBLIC: perMinute(DEFAULT_RATE_LIMITS.public),
  RATE_LIMIT_BANK_FEED: perMinute(DEFAULT_RATE_LIMITS.bank_feed),
  RATE_LIMIT_AUTHENTICATED: perMinute(DEFAULT_RATE_LIMITS.authenticated),
});

export function rateLimitsOf(config: GatewayConfig): RateLimits {
  return {
    login: config.RATE_LIMIT_LOGIN,
    register: config.RATE_LIMIT_REGISTER,
    report: config.RATE_LIMIT_REPORT,
    public: config.RATE_LIMIT_PUBLIC,
    bank_feed: config.RATE_LIMIT_BANK_FEED,
    authenticated: config.RATE_LIMIT_AUTHENTICATED,
  };
}

export type GatewayConfig = z.output<typeof gatewayEnv>;
