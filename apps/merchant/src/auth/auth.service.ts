import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { isUuid } from '../http/validation';
import { MerchantApiKeyEntity } from '../merchants/merchant.entities';
import { normalizeMobilePhone } from '../registration/phone';
import { apiKeyMatches, looksLikeApiKey, lookupPrefixOf, shouldRecordUse } from './api-key';
import { AUTH_CONFIG } from './auth.config';
import type { AuthConfig } from './auth.config';
import { OfficerEntity } from './officer.entity';
import { hashPassword, verifyPassword } from './password';
import type { Principal } from './principal';
import { Role, issueToken, verifyToken } from './token';

export const SEEDED_OFFICER = 'admin';

const unauthorized = () =>
  new ApiError(401, 'unauthorized', {
    vi: 'Chưa đăng nhập hoặc thông tin xác thực không hợp lệ',
    en: 'Missing or invalid credentials',
  });

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', {
    vi: 'Sai tên đăng nhập hoặc mật khẩu',
    en: 'Wrong username or password',
  });

/** More shops than this behind one phone are not tried by phone (log in by merchant id). */
const MAX_SHOPS_PER_LOGIN = 5;

interface MerchantLogin {
  id: string;
  shop_name: string;
  password_hash: string;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  /** Shop owners only (officers get `{ token, expiresAt }` as before): who the token acts for. */
  role?: 'merchant';
  merchantId?: string;
}

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  /** Compared against when the username is unknown, so timing does not tell which usernames exist. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  /**
   * The officer `admin` exists with the password from `OFFICER_PASSWORD`: created on first
   * start, and re-hashed when the variable changed (the environment is the source of truth for
   * this one account). Replicas starting together are fine: the insert does nothing on conflict.
   */
  async onApplicationBootstrap(): Promise<void> {
    const officers = this.dataSource.getRepository(OfficerEntity);
    const existing = await officers.findOneBy({ username: SEEDED_OFFICER });
    if (existing && (await verifyPassword(this.config.officerPassword, existing.passwordHash))) return;
    const passwordHash = await hashPassword(this.config.officerPassword);
    await this.dataSource.query(
      `INSERT INTO officer (id, username, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [randomUUID(), SEEDED_OFFICER, passwordHash],
    );
  }

  /**
   * One login for both kinds of user (API contract): an officer by username; a shop owner by the
   * phone it registered with (any accepted spelling) or by its merchant id (ADR 0008). Every
   * failure is the same 401, after at least the same hashing.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const officer = await this.dataSource.getRepository(OfficerEntity).findOneBy({ username });
    this.decoyHash ??= hashPassword(randomUUID());
    if (officer) {
      if (!(await verifyPassword(password, officer.passwordHash))) throw invalidCredentials();
      return this.issue({ id: officer.id, name: officer.username, role: 'officer' });
    }
    const candidates = await this.merchantLogins(username);
    if (candidates.length === 0) {
      await verifyPassword(password, await this.decoyHash);
      throw invalidCredentials();
    }
    const matching: MerchantLogin[] = [];
    for (const candidate of candidates) {
      if (await verifyPassword(password, candidate.password_hash)) matching.push(candidate);
    }
    if (matching.length === 0) throw invalidCredentials();
    if (matching.length > 1) {
      // Only someone who knows the password gets here: listing the shops leaks nothing new.
      throw new ApiError(
        409,
        'ambiguous_login',
        {
          vi: 'Số điện thoại này đăng nhập được nhiều cửa hàng; hãy dùng mã cửa hàng làm tên đăng nhập',
          en: 'This phone number logs in to several shops; use the merchant id as the username',
        },
        { merchants: matching.map((m) => ({ id: m.id, shopName: m.shop_name })) },
      );
    }
    return this.issue({ id: matching[0].id, name: matching[0].id, role: 'merchant' });
  }

  private issue(subject: { id: string; name: string; role: Role }): LoginResult {
    const now = new Date();
    const token = issueToken(subject, this.config.tokenSecret, this.config.tokenTtlSeconds, now);
    return {
      token,
      expiresAt: new Date(now.getTime() + this.config.tokenTtlSeconds * 1000).toISOString(),
      ...(subject.role === 'merchant' ? { role: 'merchant' as const, merchantId: subject.id } : {}),
    };
  }

  /** Merchants with a web password whose login name is `username` (a phone or a merchant id). */
  private async merchantLogins(username: string): Promise<MerchantLogin[]> {
    if (isUuid(username)) {
      return (await this.dataSource.query(
        'SELECT id, shop_name, password_hash FROM merchant WHERE id = $1 AND password_hash IS NOT NULL',
        [username.toLowerCase()],
      )) as MerchantLogin[];
    }
    const phone = normalizeMobilePhone(username);
    if (!phone.ok) return [];
    // Bounded: each candidate costs one scrypt.
    return (await this.dataSource.query(
      `SELECT id, shop_name, password_hash FROM merchant WHERE phone = $1 AND password_hash IS NOT NULL
       ORDER BY registered_at LIMIT $2`,
      [phone.value, MAX_SHOPS_PER_LOGIN],
    )) as MerchantLogin[];
  }

  /** The principal behind an `Authorization` header; undefined without one, 401 when it is invalid. */
  async authenticate(header: string | string[] | undefined): Promise<Principal | undefined> {
    if (header === undefined) return undefined;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,2000})$/i.exec(header.trim()) : null;
    if (!match) throw unauthorized();
    const credential = match[1];
    if (looksLikeApiKey(credential)) return this.merchantFor(credential);
    const check = verifyToken(credential, this.config.tokenSecret, ['officer', 'merchant']);
    if (!check.ok) throw unauthorized();
    if (check.claims.role === 'merchant') {
      return { kind: 'merchant', merchantId: check.claims.sub, apiKeyId: null };
    }
    return { kind: 'officer', officerId: check.claims.sub, username: check.claims.name };
  }

  private async merchantFor(key: string): Promise<Principal> {
    const candidates = await this.dataSource
      .getRepository(MerchantApiKeyEntity)
      .findBy({ lookupPrefix: lookupPrefixOf(key) });
    // Read on every request, so a revoked key stops working with the next one.
    const found = candidates.find((c) => c.revokedAt === null && apiKeyMatches(key, c.keyHash));
    if (!found) throw unauthorized();
    if (shouldRecordUse(found.lastUsedAt, new Date())) await this.recordUse(found.id);
    return { kind: 'merchant', merchantId: found.merchantId, apiKeyId: found.id };
  }

  /**
   * At most one write a minute per key; the condition makes replicas racing on the same key
   * write once. A failure here must not fail the caller's request.
   */
  private async recordUse(keyId: string): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE merchant_api_key SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - interval '1 minute')`,
        [keyId],
      );
    } catch {
      // Best effort: the next request a minute later tries again.
    }
  }
}
