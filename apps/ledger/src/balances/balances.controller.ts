import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiError } from '@cashless/observability';
import { CallerGuard } from '../auth/caller.guard';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MerchantBalance {
  merchantId: string;
  /** Net cashless takings in đồng: transfers attributed to the merchant minus refunds. */
  balance: number;
  /** Present when the balance is as of a past instant (by the entries' effective time). */
  asOf?: string;
}

/**
 * A merchant's balance: now (the sum of its accounts' balance buckets) or as of an instant (the
 * sum of its entries effective up to then). Every merchant account's credits − debits: takings
 * count up, refunds (a debit-normal account) count down.
 */
@Controller('api/v1/merchants')
@UseGuards(CallerGuard)
export class BalancesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/balance')
  async balance(
    @Param('id') id: string,
    @Query('asOf') asOfParam: string | undefined,
    @Query('at') atParam: string | undefined,
  ): Promise<MerchantBalance> {
    if (!UUID.test(id)) throw ApiError.notFound({ vi: 'Không tìm thấy cửa hàng', en: 'Merchant not found' });
    const merchantId = id.toLowerCase();
    // `at` is the short spelling of `asOf`; both at once must agree.
    const field = asOfParam === undefined && atParam !== undefined ? 'at' : 'asOf';
    if (asOfParam !== undefined && atParam !== undefined && asOfParam !== atParam) {
      throw ApiError.validation([
        {
          field: 'at',
          message: {
            vi: 'Chỉ dùng một trong hai: at hoặc asOf',
            en: 'Give either at or asOf, not two different instants',
          },
        },
      ]);
    }
    const asOf = asOfParam ?? atParam;
    if (asOf === undefined) {
      const [row] = (await this.dataSource.query(
        `SELECT coalesce(sum(b.credits - b.debits), 0)::text AS balance
         FROM ledger_balance b JOIN ledger_account a ON a.id = b.account_id WHERE a.merchant_id = $1`,
        [merchantId],
      )) as { balance: string }[];
      return { merchantId, balance: Number(row.balance) };
    }
    const instant = new Date(asOf);
    if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(asOf) || Number.isNaN(instant.getTime())) {
      throw ApiError.validation([
        {
          field,
          message: { vi: `${field} phải là thời điểm ISO 8601`, en: `${field} must be an ISO 8601 instant` },
        },
      ]);
    }
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(sum(CASE e.side WHEN 'credit' THEN e.amount ELSE -e.amount END), 0)::text AS balance
       FROM ledger_entry e
       WHERE e.account_id IN (SELECT id FROM ledger_account WHERE merchant_id = $1) AND e.effective_at <= $2`,
      [merchantId, instant],
    )) as { balance: string }[];
    return { merchantId, balance: Number(row.balance), asOf: instant.toISOString() };
  }
}
