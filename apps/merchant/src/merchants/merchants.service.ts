import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { newTraceId } from '@cashless/contracts';
import { keysetPage } from '@cashless/database';
import type { KeysetPosition } from '@cashless/database';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError, currentRequestId } from '@cashless/observability';
import { AuditLog } from '../audit/audit-log.service';
import type { Principal } from '../auth/principal';
import { findBankByBin } from '@cashless/vietqr';
import type { DuplicateRule } from '../registration/duplicates';
import type { TaxIdKind } from '../registration/tax-id';
import { StreetsService } from '../streets/streets.service';
import { DuplicateFlagEntity, MerchantEntity, PayoutAccountEntity } from './merchant.entities';
import { lockMerchant, merchantNotFound } from './merchant-lock';
import { statusChangedEvent } from './merchant-events';
import { ACTION_EVENT, MerchantStatus, ReviewAction, decideTransition } from './merchant-status';

export interface MerchantView {
  id: string;
  shopName: string;
  ownerName: string;
  phone: string;
  taxId: string;
  taxIdKind: TaxIdKind;
  category: string;
  streetId: string;
  houseNumber: string;
  status: MerchantStatus;
  statusReason: string | null;
  statusChangedAt: string;
  registeredAt: string;
  payoutAccounts: {
    id: string;
    bankBin: string;
    bankName: string | null;
    accountNumber: string;
    accountName: string;
    active: boolean;
    boardCode: string;
  }[];
  /** Officers only: why this registration looks like another merchant. */
  duplicateFlags?: {
    rule: DuplicateRule;
    otherMerchantId: string;
    otherShopName: string;
    otherStatus: MerchantStatus;
    account: string | null;
  }[];
}

export interface ListQuery {
  status?: MerchantStatus;
  limit: number;
  offset: number;
  /** Keyset position of the last merchant of the previous page (replaces `offset`). */
  after?: KeysetPosition;
}

@Injectable()
export class MerchantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly streets: StreetsService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The review queue (oldest first, so no one waits forever) or any status, with duplicate flags.
   * `nextCursor` continues after the last row by (registered_at, id), so approving shops while
   * paging through the queue neither skips nor repeats anyone (an offset would).
   */
  async list(query: ListQuery): Promise<{ data: MerchantView[]; nextCursor: string | null }> {
    const select = this.dataSource
      .getRepository(MerchantEntity)
      .createQueryBuilder('m')
      .orderBy('m.registeredAt', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(query.limit + 1);
    if (query.status) select.andWhere('m.status = :status', { status: query.status });
    if (query.after) {
      select.andWhere('(m.registeredAt, m.id) > (:afterAt, :afterId)', {
        afterAt: query.after.at,
        afterId: query.after.id,
      });
    } else if (query.offset > 0) select.offset(query.offset);
    const page = keysetPage(await select.getMany(), query.limit, (m) => ({ at: m.registeredAt, id: m.id }));
    return { data: await this.views(this.dataSource.manager, page.data, true), nextCursor: page.nextCursor };
  }

  /** A merchant reads only itself; an officer reads anyone. */
  async get(id: string, principal: Principal): Promise<MerchantView> {
    if (principal.kind === 'merchant' && principal.merchantId !== id) {
      throw new ApiError(403, 'forbidden', {
        vi: 'Không được xem thông tin cửa hàng khác',
        en: 'A merchant can only read its own record',
      });
    }
    const merchant = await this.dataSource.getRepository(MerchantEntity).findOneBy({ id });
    if (!merchant) throw merchantNotFound();
    const [view] = await this.views(this.dataSource.manager, [merchant], principal.kind === 'officer');
    return view;
  }

  /**
   * One officer decision. The row is locked (`FOR UPDATE`) before the rule is checked, so when
   * two officers act at once the second sees the first one's outcome: it either still applies
   * (409 otherwise) or was never allowed. Audit entry and event commit with the change.
   */
  async transition(
    id: string,
    action: ReviewAction,
    reason: string | null,
    officer: Principal & { kind: 'officer' },
  ): Promise<MerchantView> {
    return this.dataSource.transaction((em) => this.transitionIn(em, id, action, reason, officer));
  }

  /** `transition` inside the caller's transaction. */
  async transitionIn(
    em: EntityManager,
    id: string,
    action: ReviewAction,
    reason: string | null,
    officer: Principal & { kind: 'officer' },
  ): Promise<MerchantView> {
    const merchant = await lockMerchant(em, id);
    const decision = decideTransition(merchant.status, action, reason ?? undefined);
    if (!decision.ok) {
      if (decision.error === 'reason_required') {
        throw ApiError.validation([{ field: 'reason', message: { vi: 'Cần nêu lý do', en: 'A reason is required' } }]);
      }
      throw new ApiError(
        409,
        'invalid_transition',
        {
          vi: `Không thể ${ACTION_VI[action]} cửa hàng đang ở trạng thái ${merchant.status}`,
          en: `Cannot ${action} a merchant that is ${merchant.status}`,
        },
        { status: merchant.status, action },
      );
    }
    const changedAt = new Date();
    merchant.status = decision.to;
    merchant.statusReason = reason;
    merchant.statusChangedAt = changedAt;
    await em.update(MerchantEntity, { id }, { status: decision.to, statusReason: reason, statusChangedAt: changedAt });
    await this.audit.append(em, {
      actor: officer,
      action: ACTION_EVENT[action],
      entity: 'merchant',
      entityId: id,
      merchantId: id,
      fromStatus: decision.from,
      toStatus: decision.to,
      reason,
    });
    const accounts = await em.find(PayoutAccountEntity, {
      where: { merchantId: id, active: true },
      order: { position: 'ASC' },
    });
    await this.outbox.append(em, [
      statusChangedEvent(
        ACTION_EVENT[action],
        { ...merchant, payoutAccounts: accounts },
        await this.streets.currentWardId(merchant.streetId, em),
        { previousStatus: decision.from, changedAt, changedBy: officer.officerId },
        currentRequestId() ?? newTraceId(),
      ),
    ]);
    const [view] = await this.views(em, [merchant], true);
    return view;
  }

  async exists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(MerchantEntity).existsBy({ id });
  }

  private async views(em: EntityManager, merchants: MerchantEntity[], withFlags: boolean): Promise<MerchantView[]> {
    if (merchants.length === 0) return [];
    const ids = merchants.map((m) => m.id);
    const accounts = await em.find(PayoutAccountEntity, { where: { merchantId: In(ids) }, order: { position: 'ASC' } });
    const flags = withFlags
      ? await em.find(DuplicateFlagEntity, { where: { merchantId: In(ids) }, order: { id: 'ASC' } })
      : [];
    const others = flags.length
      ? await em.find(MerchantEntity, { where: { id: In([...new Set(flags.map((f) => f.otherMerchantId))]) } })
      : [];
    const otherById = new Map(others.map((o) => [o.id, o]));
    return merchants.map((m) => ({
      id: m.id,
      shopName: m.shopName,
      ownerName: m.ownerName,
      phone: m.phone,
      taxId: m.taxId,
      taxIdKind: m.taxIdKind,
      category: m.category,
      streetId: m.streetId,
      houseNumber: m.houseNumber,
      status: m.status,
      statusReason: m.statusReason,
      statusChangedAt: m.statusChangedAt.toISOString(),
      registeredAt: m.registeredAt.toISOString(),
      payoutAccounts: accounts
        .filter((a) => a.merchantId === m.id)
        .map((a) => ({
          id: a.id,
          bankBin: a.bankBin,
          bankName: findBankByBin(a.bankBin)?.shortName ?? findBankByBin(a.bankBin)?.name ?? null,
          accountNumber: a.accountNumber,
          accountName: a.accountName,
          active: a.active,
          boardCode: a.boardCode,
        })),
      ...(withFlags
        ? {
            duplicateFlags: flags
              .filter((f) => f.merchantId === m.id)
              .map((f) => ({
                rule: f.rule,
                otherMerchantId: f.otherMerchantId,
                otherShopName: otherById.get(f.otherMerchantId)?.shopName ?? '',
                otherStatus: otherById.get(f.otherMerchantId)?.status ?? 'closed',
                account: f.account,
              })),
          }
        : {}),
    }));
  }
}

const ACTION_VI: Record<ReviewAction, string> = {
  approve: 'duyệt',
  reject: 'từ chối',
  suspend: 'tạm ngưng',
  reinstate: 'khôi phục',
  close: 'đóng',
};
