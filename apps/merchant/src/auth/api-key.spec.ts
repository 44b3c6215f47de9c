import { describe, expect, it } from '@jest/globals';
import {
  LAST_USED_RESOLUTION_MS,
  apiKeyFromSecret,
  apiKeyMatches,
  generateApiKey,
  looksLikeApiKey,
  lookupPrefixOf,
  shouldRecordUse,
} from './api-key';

describe('merchant API keys', () => {
  it('are csk_ + 32 random bytes in base64url, kept only as a SHA-256 hash and a lookup prefix', () => {
    const { key, lookupPrefix, hash } = generateApiKey();
    expect(key).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeApiKey(key)).toBe(true);
    expect(lookupPrefix).toBe(lookupPrefixOf(key));
    expect(lookupPrefix).toHaveLength(12);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(4));
    expect(apiKeyMatches(key, hash)).toBe(true);
  });

  it('a key with one character changed does not match', () => {
    const { key, hash } = generateApiKey();
    const other = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect(apiKeyMatches(other, hash)).toBe(false);
    expect(generateApiKey().key).not.toBe(key);
  });

  it('records a use at most once a minute per key', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    expect(shouldRecordUse(null, t0)).toBe(true);
    expect(shouldRecordUse(t0, new Date(t0.getTime() + 59_999))).toBe(false);
    expect(shouldRecordUse(t0, new Date(t0.getTime() + LAST_USED_RESOLUTION_MS))).toBe(true);
  });

  it('a published key is stored like a generated one; non-keys are refused', () => {
    const { key } = generateApiKey();
    const stored = apiKeyFromSecret(key);
    expect(stored.lookupPrefix).toBe(lookupPrefixOf(key));
    expect(apiKeyMatches(key, stored.hash)).toBe(true);
    expect(() => apiKeyFromSecret('csk_short')).toThrow('not an API key');
  });
});
