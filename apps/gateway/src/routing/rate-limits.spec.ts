import { describe, expect, it } from '@jest/globals';
import { rateLimitClass, rateLimitKey } from './rate-limits';

describe('rate-limit classes', () => {
  it.each([
    ['POST', '/api/v1/auth/login', undefined, 'login'],
    ['POST', '/api/v1/merchants', undefined, 'register'],
    ['POST', '/api/v1/merchants?x=1', 'Bearer abc', 'register'],
    ['POST', '/api/v1/boards/HV-0001/report', undefined, 'report'],
    ['POST', '/api/v1/bank-notifications/generic', undefined, 'bank_feed'],
    ['POST', '/api/v1/bank-notifications/sepay', 'Apikey k', 'bank_feed'],
    ['GET', '/api/v1/boards/HV-0001', undefined, 'public'],
    ['GET', '/api/v1/streets', 'Basic xyz', 'public'],
    ['POST', '/api/v1/payment-intents', 'Bearer csk_abc', 'authenticated'],
    ['GET', '/api/v1/merchants/1/feed', 'bearer tok', 'authenticated'],
  ] as const)('%s %s (%s) → %s', (method, url, auth, expected) => {
    expect(rateLimitClass(method, url, auth)).toBe(expected);
  });

  it('keys authenticated callers by credential digest, never the secret, and others by address', () => {
    const a = rateLimitKey('authenticated', '10.0.0.1', 'Bearer csk_secret_one');
    const b = rateLimitKey('authenticated', '10.0.0.1', 'Bearer csk_secret_two');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(rateLimitKey('authenticated', '10.0.0.2', 'Bearer csk_secret_one')).toBe(a);
    expect(rateLimitKey('login', '10.0.0.1', 'Bearer csk_secret_one')).toBe('login:10.0.0.1');
  });
});
