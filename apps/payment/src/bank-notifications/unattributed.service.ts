import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PaymentEventTypes } from '@cashless/contracts';
import type {
  BankTransfer,
  UnattributedTransferAssignedData,
  UnattributedTransferDismissedData,
} from '@cashless/contracts';
import { keysetPage } from '@cashless/database';
import type { KeysetPosition } from '@cashless/database';
import { OutboxWriter } from '@cashless/messaging';
import { ApiError } from '@cashless/observability';
import { MerchantReadModel } from '../merchants/merchant-read-model';
import type { UnattributedReason } from './matching';
import {
  NOTIFICATION_COLUMNS,
  PaymentRecorder,
  bankTransferOf,
  notificationOf,
  paymentEvent,
  transferKey,
} from './payment-records';

export type UnattributedStatus = 'open' | 'assigned' | 'dismissed';

export interface UnattributedView {
  id: string;
  status: UnattributedStatus;
  reason: UnattributedReason;
  /** The intent a payment code named (`account_mismatch`). */
  intentId: string | null;
  merchantId: string | null;
  paymentId: string | null;
  officer: string | null;
  note: string | null;
  dismissReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  transfer: BankTransfer;
}

export interface UnattributedList {
  data: UnattributedView[];
  nextCursor: string | null;
}

interface UnattributedRow {
  id: string;
  status: UnattributedStatus;
  reason: UnattributedReason;
  intent_id: string | null;
  merchant_id: string | null;
  payment_id: string | null;
  officer: string | null;
  note: string | null;
  dismiss_reason: string | null;
  created_at: Date;
  decided_at: Date | null;
}

const SELECT = `SELECT u.id, u.status, u.reason, u.intent_id, u.merchant_id, u.payment_id, u.officer, u.note,
                       u.dismiss_reason, u.created_at, u.decided_at, ${NOTIFICATION_COLUMNS}
                FROM unattributed_transfer u JOIN bank_notification n ON n.id = u.notification_id`;

function view(row: UnattributedRow & Record<string, unknown>): UnattributedView {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    intentId: row.intent_id,
    merchantId: row.merchant_id,
    paymentId: row.payment_id,
    officer: row.officer,
    note: row.note,
    dismissReason: row.dismiss_reason,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    transfer: bankTransferOf(notificationOf(row)),
  };
}

const notFound = () =>
  ApiError.notFound({ vi: 'Không tìm thấy giao dịch chưa xác định', en: 'Unattributed transfer not found' });

/**
 * The officers' queue of transfers nobody could be credited with: list, read, assign to a merchant
 * (a static-QR payment record for it) or dismiss. Only an open entry can be decided; each decision
 * is audited and published in the same transaction, with the key of the entry's first event.
 */
@Injectable()
export class UnattributedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly recorder: PaymentRecorder,
    private readonly merchants: MerchantReadModel,
  ) {}

  /** Newest first, keyset-paginated over (created_at, id). */
  async list(filter: {
    status?: UnattributedStatus;
    cursor?: KeysetPosition;
    limit: number;
  }): Promise<UnattributedList> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`u.status = $${params.length}`);
    }
    if (filter.cursor) {
      params.push(filter.cursor.at, filter.cursor.id);
      where.push(`(u.created_at, u.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY u.created_at DESC, u.id DESC LIMIT $${params.length}`,
      params,
    )) as (UnattributedRow & Record<string, unknown>)[];
    const page = keysetPage(rows, filter.limit, (r) => ({ at: r.created_at, id: r.id }));
    return { data: page.data.map(view), nextCursor: page.nextCursor };
  }

  async get(id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<UnattributedView> {
    const [row] = (await em.query(`${SELECT} WHERE u.id = $1 ${lock ? 'FOR UPDATE OF u' : ''}`, [id])) as (
      UnattributedRow | undefined
    )[];
    if (!row) throw notFound();
    return view(row as UnattributedRow & Record<string, unknown>);
  }

  async assign(
    id: string,
    officer: string,
    input: { merchantId: string; note?: string },
    now = new Date(),
  ): Promise<UnattributedView> {
    return this.dataSource.transaction(async (em) => {
      const entry = await this.openEntry(em, id);
      const merchant = await this.merchants.find(input.merchantId, em);
      if (!merchant) {
        throw ApiError.validation([
          {
            field: 'merchantId',
            message: { vi: 'Cửa hàng không tồn tại', en: 'No such merchant' },
          },
        ]);
      }
      const payment = await this.recorder.record(
        em,
        {
          transfer: entry.transfer,
          merchantId: merchant.merchantId,
          channel: 'static_qr',
          outcome: 'static',
          intent: null,
          // The assigned event below announces it: the ledger posts it once, from that event.
          publish: false,
        },
        now,
      );
      const note = input.note ?? null;
      await em.query(
        `UPDATE unattributed_transfer
         SET status = 'assigned', merchant_id = $2, payment_id = $3, officer = $4, note = $5, decided_at = $6
         WHERE id = $1`,
        [id, merchant.merchantId, payment.paymentId, officer, note, now],
      );
      const data: UnattributedTransferAssignedData = {
        unattributedId: id,
        paymentId: payment.paymentId,
        merchantId: merchant.merchantId,
        officer,
        note,
        transfer: entry.transfer,
        assignedAt: now.toISOString(),
      };
      await this.decided(em, entry, officer, now, {
        action: 'unattributed_transfer.assign',
        details: { merchantId: merchant.merchantId, paymentId: payment.paymentId, note },
        event: PaymentEventTypes.unattributedTransferAssigned,
        data,
      });
      return this.get(id, em);
    });
  }

  async dismiss(id: string, officer: string, input: { reason: string }, now = new Date()): Promise<UnattributedView> {
    return this.dataSource.transaction(async (em) => {
      const entry = await this.openEntry(em, id);
      await em.query(
        `UPDATE unattributed_transfer SET status = 'dismissed', officer = $2, dismiss_reason = $3, decided_at = $4
         WHERE id = $1`,
        [id, officer, input.reason, now],
      );
      const data: UnattributedTransferDismissedData = {
        unattributedId: id,
        officer,
        reason: input.reason,
        transfer: entry.transfer,
        dismissedAt: now.toISOString(),
      };
      await this.decided(em, entry, officer, now, {
        action: 'unattributed_transfer.dismiss',
        details: { dismissReason: input.reason },
        event: PaymentEventTypes.unattributedTransferDismissed,
        data,
      });
      return this.get(id, em);
    });
  }

  /** The entry, locked; 409 unless it is still open (a concurrent decision waits, then sees it decided). */
  private async openEntry(em: EntityManager, id: string): Promise<UnattributedView> {
    const entry = await this.get(id, em, true);
    if (entry.status !== 'open') {
      throw new ApiError(
        409,
        'unattributed_already_decided',
        {
          vi: 'Giao dịch này đã được xử lý (gán hoặc bỏ qua) trước đó',
          en: 'This transfer was already decided (assigned or dismissed)',
        },
        { status: entry.status },
      );
    }
    return entry;
  }

  /**
   * What every decision writes besides its own rows: the audit entry and the event, keyed like the
   * entry's received event so consumers see them in order.
   */
  private async decided(
    em: EntityManager,
    entry: UnattributedView,
    officer: string,
    now: Date,
    decision: { action: string; details: Record<string, unknown>; event: string; data: unknown },
  ): Promise<void> {
    const { transfer } = entry;
    await em.query('INSERT INTO payment_audit_log (actor, action, subject, details, at) VALUES ($1, $2, $3, $4, $5)', [
      officer,
      decision.action,
      `unattributed_transfer:${entry.id}`,
      JSON.stringify({
        ...decision.details,
        queueReason: entry.reason,
        notificationId: transfer.notificationId,
        amount: transfer.amount,
      }),
      now,
    ]);
    await this.outbox.append(em, [
      paymentEvent(decision.event, transferKey(transfer.notificationId), decision.data, now),
    ]);
  }
}
