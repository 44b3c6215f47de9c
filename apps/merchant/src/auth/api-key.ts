import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Merchant API keys: `csk_` + 32 random bytes in base64url. The key is shown once; the service
 * keeps its SHA-256 (a random 256-bit secret needs no slow hash) and a short prefix that finds
 * the row without scanning, and that officers and the merchant can use to tell keys apart.
 */
export const API_KEY_PREFIX = 'csk_';
const LOOKUP_LENGTH = API_KEY_PREFIX.length + 8;
const KEY_PATTERN = /^csk_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  key: string;
  lookupPrefix: string;
  hash: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, lookupPrefix: key.slice(0, LOOKUP_LENGTH), hash: hashApiKey(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function lookupPrefixOf(key: string): string {
  return key.slice(0, LOOKUP_LENGTH);
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** How often at most `last_used_at` is written per key: a coarse "used recently" is enough. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Whether a request made with a key at `now` should update its `last_used_at`. */
export function shouldRecordUse(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

/** The stored form of a key given in full (the demo seed's published development key). */
export function apiKeyFromSecret(key: string): NewApiKey {
  if (!looksLikeApiKey(key)) throw new Error('not an API key');
  return { key, lookupPrefix: lookupPrefixOf(key), hash: hashApiKey(key) };
}
