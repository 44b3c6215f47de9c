import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { MerchantApiKeyEntity } from '../merchants/merchant.entities';
import { apiKeyMatches, looksLikeApiKey, lookupPrefixOf } from './api-key';
import { AUTH_CONFIG } from './auth.config';
import type { AuthConfig } from './auth.config';
import { OfficerEntity } from './officer.entity';
import { hashPassword, verifyPassword } from './password';
import type { Principal } from './principal';
import { issueToken, verifyToken } from './token';

export const SEEDED_OFFICER = 'admin';

const unauthorized = () =>
  new ApiError(401, 'unauthorized', {
    vi: 'Chưa đăng nhập hoặc thông tin xác thực không hợp lệ',
    en: 'Missing or invalid credentials',
  });

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

  async login(username: string, password: string): Promise<{ token: string; expiresAt: string }> {
    const officer = await this.dataSource.getRepository(OfficerEntity).findOneBy({ username });
    this.decoyHash ??= hashPassword(randomUUID());
    const valid = await verifyPassword(password, officer?.passwordHash ?? (await this.decoyHash));
    if (!officer || !valid) {
      throw new ApiError(401, 'invalid_credentials', {
        vi: 'Sai tên đăng nhập hoặc mật khẩu',
        en: 'Wrong username or password',
      });
    }
    const now = new Date();
    const token = issueToken(
      { id: officer.id, name: officer.username, role: 'officer' },
      this.config.tokenSecret,
      this.config.tokenTtlSeconds,
      now,
    );
    return { token, expiresAt: new Date(now.getTime() + this.config.tokenTtlSeconds * 1000).toISOString() };
  }

  /** The principal behind an `Authorization` header; undefined without one, 401 when it is invalid. */
  async authenticate(header: string | string[] | undefined): Promise<Principal | undefined> {
    if (header === undefined) return undefined;
    const match = typeof header === 'string' ? /^Bearer ([\x21-\x7e]{1,2000})$/i.exec(header.trim()) : null;
    if (!match) throw unauthorized();
    const credential = match[1];
    if (looksLikeApiKey(credential)) return this.merchantFor(credential);
    const check = verifyToken(credential, this.config.tokenSecret, 'officer');
    if (!check.ok) throw unauthorized();
    return { kind: 'officer', officerId: check.claims.sub, username: check.claims.name };
  }

  private async merchantFor(key: string): Promise<Principal> {
    const candidates = await this.dataSource
      .getRepository(MerchantApiKeyEntity)
      .findBy({ lookupPrefix: lookupPrefixOf(key) });
    const found = candidates.find((c) => c.revokedAt === null && apiKeyMatches(key, c.keyHash));
    if (!found) throw unauthorized();
    return { kind: 'merchant', merchantId: found.merchantId, apiKeyId: found.id };
  }
}
