import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bearer tokens of officers and of shop owners logged in on the web page: `v1.<claims>.<signature>`, claims as base64url JSON, signature
 * HMAC-SHA256 over `v1.<claims>`. Only this service issues and checks them, so a symmetric key
 * is enough and there is no algorithm field an attacker could switch.
 */
export type Role = 'officer' | 'merchant';

export interface TokenClaims {
  /** Officer id, or merchant id for role `merchant`. */
  sub: string;
  /** Officer username (for audit entries); for a merchant, its login name. */
  name: string;
  role: Role;
  /** Issued at / expires at, Unix seconds. */
  iat: number;
  exp: number;
}

export type TokenCheck =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_role' };

const VERSION = 'v1';
export const MIN_SECRET_LENGTH = 32;

function sign(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest();
}

function assertSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`token secret must have at least ${MIN_SECRET_LENGTH} characters`);
}

export function issueToken(
  subject: { id: string; name: string; role: Role },
  secret: string,
  ttlSeconds: number,
  now: Date = new Date(),
): string {
  assertSecret(secret);
  const iat = Math.floor(now.getTime() / 1000);
  const claims: TokenClaims = { sub: subject.id, name: subject.name, role: subject.role, iat, exp: iat + ttlSeconds };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${body}.${sign(body, secret).toString('base64url')}`;
}

function isClaims(value: unknown): value is TokenClaims {
  const c = value as Partial<TokenClaims> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.sub === 'string' &&
    typeof c.name === 'string' &&
    typeof c.role === 'string' &&
    Number.isSafeInteger(c.iat) &&
    Number.isSafeInteger(c.exp)
  );
}

/**
 * Checks signature first (nothing unsigned is parsed as claims), then expiry, then role (one
 * role, or any of several).
 */
export function verifyToken(
  token: string,
  secret: string,
  role: Role | readonly Role[],
  now: Date = new Date(),
): TokenCheck {
  assertSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[A-Za-z0-9_-]+$/.test(parts[1] + parts[2])) {
    return { ok: false, reason: 'malformed' };
  }
  const given = Buffer.from(parts[2], 'base64url');
  const expected = sign(parts[1], secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (Math.floor(now.getTime() / 1000) >= claims.exp) return { ok: false, reason: 'expired' };
  const roles: readonly string[] = typeof role === 'string' ? [role] : role;
  if (!roles.includes(claims.role)) return { ok: false, reason: 'wrong_role' };
  return { ok: true, claims };
}
