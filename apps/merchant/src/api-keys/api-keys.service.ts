import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import { NewApiKey, generateApiKey } from '../auth/api-key';
import type { MerchantPrincipal, Principal } from '../auth/principal';
import { MerchantApiKeyEntity } from '../merchants/merchant.entities';
import { assertNotClosed, lockMerchant } from '../merchants/merchant-lock';

export interface ApiKeyView {
  id: string;
  /** The first characters of the key (`csk_` + 8), enough to tell keys apart; never the secret. */
  prefix: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  id: string;
  /** Shown once. */
  apiKey: string;
}

/** A merchant can hold this many active keys (one per till or POS integration is plenty). */
export const MAX_ACTIVE_API_KEYS = 10;

const keyNotFound = () => ApiError.notFound({ vi: 'Không tìm thấy khoá API', en: 'API key not found' });

function view(k: MerchantApiKeyEntity): ApiKeyView {
  return {
    id: k.id,
    prefix: k.lookupPrefix,
    label: k.label,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Merchant API keys after registration: list, create (shown once), revoke. Rotation is create
 * then revoke. Changes lock the merchant row, so "the last active key" is counted once.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async list(merchantId: string): Promise<ApiKeyView[]> {
    const keys = await this.dataSource
      .getRepository(MerchantApiKeyEntity)
      .find({ where: { merchantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return keys.map(view);
  }

  async create(merchantId: string, label: string | null, actor: MerchantPrincipal): Promise<CreatedApiKey> {
    return this.dataSource.transaction(async (em) => {
      const merchant = await lockMerchant(em, merchantId);
      assertNotClosed(merchant);
      const active = await em.countBy(MerchantApiKeyEntity, { merchantId, revokedAt: IsNull() });
      if (active >= MAX_ACTIVE_API_KEYS) {
        throw new ApiError(
          409,
          'too_many_api_keys',
          {
            vi: `Mỗi cửa hàng có tối đa ${MAX_ACTIVE_API_KEYS} khoá API đang dùng; hãy thu hồi khoá cũ trước`,
            en: `A merchant may hold at most ${MAX_ACTIVE_API_KEYS} active API keys; revoke an old one first`,
          },
          { max: MAX_ACTIVE_API_KEYS },
        );
      }
      return this.createIn(em, merchantId, label, actor);
    });
  }

  /** Inserts a key with its audit entry in the caller's transaction (also used by the demo seed). */
  async createIn(
    em: EntityManager,
    merchantId: string,
    label: string | null,
    actor: Principal | { kind: 'system' },
    key: NewApiKey = generateApiKey(),
  ): Promise<CreatedApiKey> {
    const id = randomUUID();
    await em.insert(MerchantApiKeyEntity, {
      id,
      merchantId,
      lookupPrefix: key.lookupPrefix,
      keyHash: key.hash,
      label,
      revokedAt: null,
      lastUsedAt: null,
    });
    await this.audit.append(em, {
      actor,
      action: 'api_key.created',
      entity: 'api_key',
      entityId: id,
      merchantId,
      details: { prefix: key.lookupPrefix, label },
    });
    return { id, apiKey: key.key };
  }

  /**
   * Revokes a key; revoking a revoked key again answers the same and writes nothing. The last
   * active key stays unless the shop owner can still get in by password (ADR 0008): a merchant
   * without either would be locked out for good.
   */
  async revoke(merchantId: string, keyId: string, actor: Principal): Promise<ApiKeyView> {
    return this.dataSource.transaction(async (em) => {
      await lockMerchant(em, merchantId);
      const key = await em.findOneBy(MerchantApiKeyEntity, { id: keyId, merchantId });
      if (!key) throw keyNotFound();
      if (key.revokedAt !== null) return view(key);
      const [{ others, has_password: hasPassword }] = (await em.query(
        `SELECT (SELECT count(*)::int FROM merchant_api_key
                 WHERE merchant_id = $1 AND revoked_at IS NULL AND id <> $2) AS others,
                (SELECT password_hash IS NOT NULL FROM merchant WHERE id = $1) AS has_password`,
        [merchantId, keyId],
      )) as { others: number; has_password: boolean }[];
      if (others === 0 && !hasPassword) {
        throw new ApiError(
          409,
          'last_api_key',
          {
            vi: 'Không thể thu hồi khoá API cuối cùng: hãy tạo khoá mới (hoặc đặt mật khẩu đăng nhập) trước',
            en: 'Cannot revoke the last active API key: create a new key (or set a login password) first',
          },
          { keyId },
        );
      }
      const revokedAt = new Date();
      await em.update(MerchantApiKeyEntity, { id: keyId }, { revokedAt });
      await this.audit.append(em, {
        actor,
        action: 'api_key.revoked',
        entity: 'api_key',
        entityId: keyId,
        merchantId,
        details: { prefix: key.lookupPrefix, label: key.label },
      });
      return view({ ...key, revokedAt });
    });
  }
}
