import { createHash } from 'node:crypto';

/**
 * Rate-limit classes of the public API. Unauthenticated routes that cost the platform (login,
 * registration, fraud reports) get tight per-address budgets; the bank feed and authenticated
 * callers get large ones keyed by address or credential, so a flood is cut off before any service
 * does work while a busy shop's checkout or a bank feed at full speed is never throttled.
 */
export type RateLimitClass = 'login' | 'register' | 'report' | 'public' | 'bank_feed' | 'authenticated';

/** Requests per minute for each class (per client address, or per credential for `authenticated`). */
export type RateLimits = Record<RateLimitClass, number>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login: 20,
  register: 20,
  report: 10,
  public: 600,
  bank_feed: 300_000,
  authenticated: 180_000,
};

export function rateLimitClass(method: string, url: string, authorization: string | undefined): RateLimitClass {
  const path = url.split('?', 1)[0];
  if (path.startsWith('/api/v1/bank-notifications/')) return 'bank_feed';
  if (method === 'POST' && path === '/api/v1/auth/login') return 'login';
  if (method === 'POST' && path === '/api/v1/merchants') return 'register';
  if (method === 'POST' && /^\/api\/v1\/boards\/[^/]+\/report$/.test(path)) return 'report';
  if (bearerOf(authorization) !== undefined) return 'authenticated';
  return 'public';
}

/**
 * The bucket a request counts against: the credential's digest for authenticated callers (many
 * shops may share one address behind a carrier NAT), else the client address.
 */
export function rateLimitKey(
  limitClass: RateLimitClass,
  clientAddress: string,
  authorization: string | undefined,
): string {
  const bearer = limitClass === 'authenticated' ? bearerOf(authorization) : undefined;
  const who = bearer ? createHash('sha256').update(bearer).digest('base64url').slice(0, 22) : clientAddress;
  return `${limitClass}:${who}`;
}

function bearerOf(authorization: string | undefined): string | undefined {
  const match = authorization ? /^Bearer\s+(\S{1,2000})$/i.exec(authorization.trim()) : null;
  return match?.[1];
}
