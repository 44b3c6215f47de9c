import { z } from 'zod';
import { loadConfig } from '@cashless/config';
import type { MerchantAuthOptions } from '@cashless/auth';

/** The salt when ANALYTICS_PAYER_SALT is unset outside production (npm start, demo data, benchmarks). */
export const DEV_PAYER_SALT = 'development-only-analytics-payer-salt';

/** Variables of the analytics service's own domain, validated at boot. */
export const analyticsEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** The merchant service: who a credential belongs to (ADR 0010) and the street registry (targets, wards). */
    MERCHANT_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8081'),
    MERCHANT_AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** How long the street registry is reused before it is fetched again. */
    STREET_REGISTRY_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /**
     * Secret salt of the HMAC-SHA256 over payer accounts (unique shoppers). Required in production;
     * changing it makes every shopper new, so rebuild from facts, not from events, after a change.
     */
    ANALYTICS_PAYER_SALT: z.string().min(16).optional(),
    /** A payment notified more than this many seconds after the transfer counts as late for its bank. */
    ANALYTICS_LATE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** How long shopper sketches of ended periods are reused by the read side (0: not at all). */
    ANALYTICS_SKETCH_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.ANALYTICS_PAYER_SALT === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ANALYTICS_PAYER_SALT'],
        message: 'required in production (16+ characters)',
      });
    }
  });

export type AnalyticsEnv = z.output<typeof analyticsEnv>;

export interface AnalyticsConfig {
  auth: MerchantAuthOptions;
  merchantUrl: string;
  streetRegistryCacheMs: number;
  payerSalt: string;
  lateSeconds: number;
  sketchCacheMs: number;
}

/** Injection token of the validated AnalyticsConfig. */
export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');

export function analyticsConfigOf(env: AnalyticsEnv): AnalyticsConfig {
  return {
    auth: { merchantUrl: env.MERCHANT_URL, cacheTtlMs: env.MERCHANT_AUTH_CACHE_MS, timeoutMs: 3_000 },
    merchantUrl: env.MERCHANT_URL,
    streetRegistryCacheMs: env.STREET_REGISTRY_CACHE_MS,
    payerSalt: env.ANALYTICS_PAYER_SALT ?? DEV_PAYER_SALT,
    lateSeconds: env.ANALYTICS_LATE_SECONDS,
    sketchCacheMs: env.ANALYTICS_SKETCH_CACHE_MS,
  };
}

export function loadAnalyticsConfig(env: Record<string, string | undefined> = process.env): AnalyticsConfig {
  return analyticsConfigOf(loadConfig(analyticsEnv, env));
}
