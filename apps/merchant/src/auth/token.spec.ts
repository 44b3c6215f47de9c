import { describe, expect, it } from '@jest/globals';
import { issueToken, verifyToken } from './token';

const secret = 'test-secret-that-is-long-enough-1234567890';
const officer = { id: 'officer-1', name: 'admin', role: 'officer' as const };
const t0 = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('officer tokens', () => {
  it('a freshly issued token verifies and carries the officer', () => {
    const token = issueToken(officer, secret, 3600, t0);
    expect(verifyToken(token, secret, 'officer', later(10))).toEqual({
      ok: true,
      claims: { sub: 'officer-1', name: 'admin', role: 'officer', iat: 1767225600, exp: 1767229200 },
    });
  });

  it('a token whose claims were edited (role, expiry) fails the signature', () => {
    const [v, body, sig] = issueToken(officer, secret, 3600, t0).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86400 })).toString('base64url');
    expect(verifyToken(`${v}.${forged}.${sig}`, secret, 'officer', later(10))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BB' : 'AA');
    expect(verifyToken(`${v}.${body}.${flipped}`, secret, 'officer', later(10))).toMatchObject({ ok: false });
  });

  it('a token signed with another secret is refused', () => {
    const token = issueToken(officer, 'another-secret-that-is-long-enough-12345', 3600, t0);
    expect(verifyToken(token, secret, 'officer', later(10))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('an expired token is refused from its expiry second on', () => {
    const token = issueToken(officer, secret, 3600, t0);
    expect(verifyToken(token, secret, 'officer', later(3599)).ok).toBe(true);
    expect(verifyToken(token, secret, 'officer', later(3600))).toEqual({ ok: false, reason: 'expired' });
  });

  it('a validly signed token with another role is refused', () => {
    const token = issueToken({ ...officer, role: 'merchant' as never }, secret, 3600, t0);
    expect(verifyToken(token, secret, 'officer', later(10))).toEqual({ ok: false, reason: 'wrong_role' });
  });

  it('garbage and API keys are malformed tokens, not crashes', () => {
    for (const junk of ['', 'abc', 'v1..', 'v2.a.b', 'v1.a.b.c', 'csk_' + 'A'.repeat(43), 'v1.%%%.***']) {
      expect(verifyToken(junk, secret, 'officer', t0)).toMatchObject({ ok: false });
    }
    const signedJunk = issueToken(officer, secret, 3600, t0).split('.');
    expect(verifyToken(`v1.bm90LWpzb24.${signedJunk[2]}`, secret, 'officer', t0)).toMatchObject({ ok: false });
  });

  it('refuses secrets shorter than 32 characters', () => {
    expect(() => issueToken(officer, 'short', 3600, t0)).toThrow('at least 32');
  });

  it('merchant tokens carry the merchant id; a check may accept several roles', () => {
    const token = issueToken({ id: 'merchant-1', name: 'merchant-1', role: 'merchant' }, secret, 3600, t0);
    expect(verifyToken(token, secret, 'officer', later(10))).toEqual({ ok: false, reason: 'wrong_role' });
    expect(verifyToken(token, secret, ['officer', 'merchant'], later(10))).toMatchObject({
      ok: true,
      claims: { sub: 'merchant-1', role: 'merchant' },
    });
  });
});
