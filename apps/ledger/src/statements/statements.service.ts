import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildStatement } from './statement';
import type { Statement, StatementChannel, StatementEntryInput } from './statement';

interface EntryRow {
  transaction_id: string;
  effective_at: Date;
  side: 'debit' | 'credit';
  amount: string;
  kind: string;
  channel: 'dynamic_qr' | 'static_qr' | null;
  rule: string;
  payment_id: string | null;
  payment_code: string | null;
  order_ref: string | null;
  payer_name: string | null;
}

/** Reads a merchant's entries for statements; bigint amounts become numbers here (always < 500,000,000 each). */
@Injectable()
export class StatementsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Net takings (credits − debits of the merchant's accounts) of entries effective before `before`. */
  async balanceBefore(merchantId: string, before: Date): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(sum(CASE e.side WHEN 'credit' THEN e.amount ELSE -e.amount END), 0)::text AS balance
       FROM ledger_entry e
       WHERE e.account_id IN (SELECT id FROM ledger_account WHERE merchant_id = $1) AND e.effective_at < $2`,
      [merchantId, before],
    )) as { balance: string }[];
    return Number(row.balance);
  }

  async statement(merchantId: string, date: string, from: Date, to: Date): Promise<Statement> {
    const [openingBalance, rows] = await Promise.all([
      this.balanceBefore(merchantId, from),
      this.dataSource.query(
        `SELECT e.transaction_id, e.effective_at, e.side, e.amount::text AS amount, a.kind, a.channel, t.rule,
                t.payment_id, pe.payment_code, pe.order_ref, pe.payer_name
         FROM ledger_transaction t
         JOIN ledger_entry e ON e.transaction_id = t.id
         JOIN ledger_account a ON a.id = e.account_id AND a.merchant_id = $1
         LEFT JOIN ledger_payment_event pe ON pe.event_id = t.source_event_id
         WHERE t.merchant_id = $1 AND t.effective_at >= $2 AND t.effective_at < $3`,
        [merchantId, from, to],
      ) as Promise<EntryRow[]>,
    ]);
    return buildStatement({ merchantId, date, from, to, openingBalance }, rows.map(entryOf));
  }
}

function entryOf(row: EntryRow): StatementEntryInput {
  const channel: StatementChannel = row.kind === 'refunds' ? 'refunds' : (row.channel ?? 'static_qr');
  return {
    transactionId: row.transaction_id,
    at: row.effective_at.toISOString(),
    channel,
    side: row.side,
    amount: Number(row.amount),
    rule: row.rule,
    paymentId: row.payment_id,
    paymentCode: row.payment_code,
    orderRef: row.order_ref,
    payerName: row.payer_name,
  };
}
