import { z } from 'zod';
import { loadConfig } from '@cashless/config';
import { MIN_SECRET_LENGTH } from './token';

const DEV_TOKEN_SECRET = 'dev-only-auth-token-secret-not-for-production';
const DEV_OFFICER_PASSWORD = 'admin-dev-password';

/** Variables of the merchant service's authentication, validated once at boot. */
export const authEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Signs officer tokens (HMAC-SHA256). */
    AUTH_TOKEN_SECRET: z.string().min(MIN_SECRET_LENGTH).default(DEV_TOKEN_SECRET),
    AUTH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86400)
      .default(8 * 3600),
    /** Password of the seeded officer `admin`. */
    OFFICER_PASSWORD: z.string().min(8).max(200).default(DEV_OFFICER_PASSWORD),
  })
  .superRefine((env, ctx) => {
    // Development defaults are published in the README; a production deployment must set its own.
    if (env.NODE_ENV !== 'production') return;
    if (env.AUTH_TOKEN_SECRET === DEV_TOKEN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_TOKEN_SECRET'], message: 'must be set in production' });
    }
    if (env.OFFICER_PASSWORD === DEV_OFFICER_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['OFFICER_PASSWORD'], message: 'must be set in production' });
    }
  });

export interface AuthConfig {
  tokenSecret: string;
  tokenTtlSeconds: number;
  officerPassword: string;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const config = loadConfig(authEnv, env);
  return {
    tokenSecret: config.AUTH_TOKEN_SECRET,
    tokenTtlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    officerPassword: config.OFFICER_PASSWORD,
  };
}
