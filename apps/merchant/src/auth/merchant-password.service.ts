import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import { MerchantEntity } from '../merchants/merchant.entities';
import { assertNotClosed, lockMerchant } from '../merchants/merchant-lock';
import { hashPassword, verifyPassword } from './password';
import { checkNewPassword } from './password-policy';
import type { MerchantPrincipal } from './principal';

/**
 * The shop owner's web password (ADR 0008). Set with the merchant's API key, which is the
 * credential registration hands out; changed later with the key, or from a web session by
 * giving the current password (a stolen session alone cannot lock the owner out).
 */
@Injectable()
export class MerchantPasswordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async set(
    merchantId: string,
    input: { password: string; currentPassword?: string },
    actor: MerchantPrincipal,
  ): Promise<{ passwordSetAt: string }> {
    return this.dataSource.transaction(async (em) => {
      const merchant = await lockMerchant(em, merchantId);
      assertNotClosed(merchant);
      const policy = checkNewPassword(input.password, { phone: merchant.phone });
      if (!policy.ok) throw ApiError.validation([{ field: 'password', message: policy.message }]);
      const [{ password_hash: existing }] = (await em.query('SELECT password_hash FROM merchant WHERE id = $1', [
        merchantId,
      ])) as { password_hash: string | null }[];
      if (existing !== null && actor.apiKeyId === null) {
        const ok = input.currentPassword !== undefined && (await verifyPassword(input.currentPassword, existing));
        if (!ok) {
          throw ApiError.validation([
            {
              field: 'currentPassword',
              message:
                input.currentPassword === undefined
                  ? { vi: 'Cần mật khẩu hiện tại để đổi mật khẩu', en: 'The current password is needed to change it' }
                  : { vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' },
            },
          ]);
        }
      }
      const passwordSetAt = new Date();
      await em.update(
        MerchantEntity,
        { id: merchantId },
        { passwordHash: await hashPassword(policy.value), passwordSetAt },
      );
      await this.audit.append(em, {
        actor,
        action: existing === null ? 'merchant.password_set' : 'merchant.password_changed',
        entity: 'merchant',
        entityId: merchantId,
        merchantId,
        details: { via: actor.apiKeyId === null ? 'session' : 'api_key' },
      });
      return { passwordSetAt: passwordSetAt.toISOString() };
    });
  }
}
