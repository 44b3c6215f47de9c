import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { KeysetPosition } from '@cashless/database';
import { encodeCursor } from '@cashless/database';
import type { BankProvider } from './providers/feed';

/** What became of a stored notification. */
export type NotificationOutcome = 'payment' | 'unattributed' | 'ignored' | 'unmatched';

export interface ReportedNotification {
  id: string;
  provider: BankProvider;
  providerTransactionId: string;
  amount: number;
  bankBin: string | null;
  accountNumber: string;
  transferredAt: string;
  receivedAt: string;
  outcome: NotificationOutcome;
  ignoredReason: string | null;
  paymentId: string | null;
  merchantId: string | null;
}

export interface NotificationReportPage {
  date: string;
  data: ReportedNotification[];
  nextCursor: string | null;
}

interface Row {
  id: string;
  provider: BankProvider;
  provider_txn_id: string;
  amount: string;
  bank_bin: string | null;
  account_number: string;
  transferred_at: Date;
  received_at: Date;
  ignored_reason: string | null;
  payment_id: string | null;
  payment_merchant_id: string | null;
  unattributed_id: string | null;
}

/**
 * The notifications stored on a day (by `received_at`), oldest first, for reconciliation: one
 * row per notification with what became of it. Keyset pages over `(received_at, id)`.
 */
@Injectable()
export class NotificationReportService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: {
    date: string;
    from: Date;
    to: Date;
    limit: number;
    after?: KeysetPosition;
  }): Promise<NotificationReportPage> {
    const rows = (await this.dataSource.query(
      `SELECT n.id, n.provider, n.provider_txn_id, n.amount::text AS amount, n.bank_bin, n.account_number,
              n.transferred_at, n.received_at, n.ignored_reason,
              p.id AS payment_id, p.merchant_id AS payment_merchant_id, u.id AS unattributed_id
       FROM bank_notification n
       LEFT JOIN payment p ON p.notification_id = n.id
       LEFT JOIN unattributed_transfer u ON u.notification_id = n.id
       WHERE n.received_at >= $1 AND n.received_at < $2
         AND ($3::timestamptz IS NULL OR (n.received_at, n.id) > ($3, $4::uuid))
       ORDER BY n.received_at, n.id
       LIMIT $5`,
      [query.from, query.to, query.after?.at ?? null, query.after?.id ?? null, query.limit + 1],
    )) as Row[];
    const data = rows.slice(0, query.limit).map(reported);
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return {
      date: query.date,
      data,
      nextCursor: last ? encodeCursor({ at: last.received_at, id: last.id }) : null,
    };
  }
}

function reported(row: Row): ReportedNotification {
  const outcome: NotificationOutcome = row.ignored_reason
    ? 'ignored'
    : row.payment_id
      ? 'payment'
      : row.unattributed_id
        ? 'unattributed'
        : 'unmatched';
  return {
    id: row.id,
    provider: row.provider,
    providerTransactionId: row.provider_txn_id,
    amount: Number(row.amount),
    bankBin: row.bank_bin,
    accountNumber: row.account_number,
    transferredAt: row.transferred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    outcome,
    ignoredReason: row.ignored_reason,
    paymentId: row.payment_id,
    merchantId: row.payment_merchant_id,
  };
}
