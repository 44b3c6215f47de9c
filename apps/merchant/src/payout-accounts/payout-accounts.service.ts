import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { MerchantEventTypes, newTraceId } from '@cashless/contracts';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError, currentRequestId } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import { allocateBoardCodes } from '../boards/board-code-allocation';
import type { Principal } from '../auth/principal';
import { DuplicateFlagEntity, MerchantEntity, PayoutAccountEntity } from '../merchants/merchant.entities';
import { payoutAccountEvent } from '../merchants/merchant-events';
import { assertNotClosed, lockMerchant } from '../merchants/merchant-lock';
import { findBankByBin } from '@cashless/vietqr';
import { accountKey } from '../registration/payout-account';
import type { PayoutAccount } from '../registration/payout-account';
import { MAX_PAYOUT_ACCOUNTS } from '../registration/registration.schema';
import { PayoutAccountChange, decideAccountChange } from './payout-account-rules';

export interface PayoutAccountView {
  id: string;
  bankBin: string;
  bankName: string | null;
  accountNumber: string;
  accountName: string;
  active: boolean;
  /** The printed board's code (`GET /boards/:boardCode`). */
  boardCode: string;
  createdAt: string;
  updatedAt: string;
  /** Other merchants already paid into this account (flagged for the officer, not refused). */
  duplicateOf?: string[];
}

const accountNotFound = () =>
  ApiError.notFound({ vi: 'Không tìm thấy tài khoản nhận tiền', en: 'Payout account not found' });

function view(a: PayoutAccountEntity, duplicateOf?: string[]): PayoutAccountView {
  const bank = findBankByBin(a.bankBin);
  return {
    id: a.id,
    bankBin: a.bankBin,
    bankName: bank?.shortName ?? bank?.name ?? null,
    accountNumber: a.accountNumber,
    accountName: a.accountName,
    active: a.active,
    boardCode: a.boardCode,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    ...(duplicateOf ? { duplicateOf } : {}),
  };
}

/**
 * Payout accounts after registration: add one, change its holder name, deactivate or reactivate
 * it. Each change locks the merchant, is audited and publishes one event with every active
 * account after it, so the payment service always matches transfers against the current set.
 */
@Injectable()
export class PayoutAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
  ) {}

  async add(merchantId: string, input: PayoutAccount, actor: Principal): Promise<PayoutAccountView> {
    return this.dataSource.transaction(async (em) => {
      const merchant = await lockMerchant(em, merchantId);
      assertNotClosed(merchant);
      const accounts = await this.accounts(em, merchantId);
      const same = accounts.find((a) => accountKey(a) === accountKey(input));
      if (same) {
        throw new ApiError(
          409,
          'payout_account_exists',
          {
            vi: same.active
              ? 'Cửa hàng đã có tài khoản này'
              : 'Cửa hàng đã có tài khoản này (đang tắt); hãy bật lại thay vì thêm mới',
            en: same.active
              ? 'The merchant already has this account'
              : 'The merchant already has this account (inactive); reactivate it instead',
          },
          { accountId: same.id, active: same.active },
        );
      }
      if (accounts.filter((a) => a.active).length >= MAX_PAYOUT_ACCOUNTS) throw tooMany();
      // Serialised with registrations and other additions of the same account (same lock ids).
      await em.query("SELECT pg_advisory_xact_lock(hashtextextended('merchant-dup:' || $1, 0))", [
        `account:${accountKey(input)}`,
      ]);
      const others = (await em.query(
        `SELECT DISTINCT merchant_id FROM payout_account
         WHERE bank_bin = $1 AND account_number = $2 AND merchant_id <> $3 ORDER BY merchant_id`,
        [input.bankBin, input.accountNumber, merchantId],
      )) as { merchant_id: string }[];
      const now = new Date();
      const account: PayoutAccountEntity = {
        id: randomUUID(),
        merchantId,
        position: accounts.reduce((max, a) => Math.max(max, a.position + 1), 0),
        bankBin: input.bankBin,
        accountNumber: input.accountNumber,
        accountName: input.accountName,
        boardCode: (await allocateBoardCodes(em, 1))[0],
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      await em.insert(PayoutAccountEntity, account);
      if (others.length > 0) {
        await em.insert(
          DuplicateFlagEntity,
          others.map((o) => ({
            merchantId,
            rule: 'same_payout_account' as const,
            otherMerchantId: o.merchant_id,
            account: accountKey(input),
          })),
        );
      }
      await this.audit.append(em, {
        actor,
        action: MerchantEventTypes.payoutAccountAdded,
        entity: 'payout_account',
        entityId: account.id,
        merchantId,
        details: {
          bankBin: account.bankBin,
          accountNumber: account.accountNumber,
          accountName: account.accountName,
          duplicateOf: others.map((o) => o.merchant_id),
        },
      });
      await this.publish(em, MerchantEventTypes.payoutAccountAdded, merchant, account, [...accounts, account], now);
      return view(
        account,
        others.map((o) => o.merchant_id),
      );
    });
  }

  async change(
    merchantId: string,
    accountId: string,
    change: PayoutAccountChange,
    actor: Principal,
  ): Promise<PayoutAccountView> {
    return this.dataSource.transaction(async (em) => {
      const merchant = await lockMerchant(em, merchantId);
      assertNotClosed(merchant);
      const accounts = await this.accounts(em, merchantId);
      const account = accounts.find((a) => a.id === accountId);
      if (!account) throw accountNotFound();
      const decision = decideAccountChange(account, change, {
        activeCount: accounts.filter((a) => a.active).length,
        max: MAX_PAYOUT_ACCOUNTS,
      });
      if (decision.kind === 'unchanged') return view(account);
      if (decision.kind === 'last_active') {
        throw new ApiError(
          409,
          'last_payout_account',
          {
            vi: 'Không thể tắt tài khoản nhận tiền cuối cùng; hãy thêm tài khoản khác trước',
            en: 'Cannot deactivate the last active payout account; add another one first',
          },
          { accountId },
        );
      }
      if (decision.kind === 'too_many') throw tooMany();
      const now = new Date();
      const updated: PayoutAccountEntity = { ...account, ...decision.set, updatedAt: now };
      await em.update(PayoutAccountEntity, { id: accountId }, { ...decision.set, updatedAt: now });
      await this.audit.append(em, {
        actor,
        action: MerchantEventTypes.payoutAccountChanged,
        entity: 'payout_account',
        entityId: accountId,
        merchantId,
        details: {
          bankBin: account.bankBin,
          accountNumber: account.accountNumber,
          before: { accountName: account.accountName, active: account.active },
          after: { accountName: updated.accountName, active: updated.active },
        },
      });
      await this.publish(
        em,
        MerchantEventTypes.payoutAccountChanged,
        merchant,
        updated,
        accounts.map((a) => (a.id === accountId ? updated : a)),
        now,
      );
      return view(updated);
    });
  }

  private accounts(em: EntityManager, merchantId: string): Promise<PayoutAccountEntity[]> {
    return em.find(PayoutAccountEntity, { where: { merchantId }, order: { position: 'ASC' } });
  }

  private async publish(
    em: EntityManager,
    type: typeof MerchantEventTypes.payoutAccountAdded | typeof MerchantEventTypes.payoutAccountChanged,
    merchant: MerchantEntity,
    account: PayoutAccountEntity,
    all: PayoutAccountEntity[],
    at: Date,
  ): Promise<void> {
    await this.outbox.append(em, [
      payoutAccountEvent(type, merchant, account, all, at, currentRequestId() ?? newTraceId()),
    ]);
  }
}

const tooMany = () =>
  new ApiError(
    409,
    'too_many_payout_accounts',
    {
      vi: `Mỗi cửa hàng có tối đa ${MAX_PAYOUT_ACCOUNTS} tài khoản nhận tiền đang dùng`,
      en: `A merchant may have at most ${MAX_PAYOUT_ACCOUNTS} active payout accounts`,
    },
    { max: MAX_PAYOUT_ACCOUNTS },
  );
