import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { MerchantSnapshot, PayoutAccountView } from './merchant-snapshot';

export interface MerchantView {
  merchantId: string;
  status: string;
  payoutAccounts: PayoutAccountView[];
}

/**
 * One row per merchant (`merchant_id`, `status`, `accounts` as JSON), for queries that read a
 * merchant in the same round trip as other work; filter it on `merchant_id`.
 */
export const MERCHANT_VIEW_SQL = `SELECT v.merchant_id, v.status,
       coalesce((SELECT json_agg(json_build_object('bankBin', a.bank_bin, 'accountNumber', a.account_number,
                                                   'accountName', a.account_name) ORDER BY a.position)
                 FROM merchant_payout_account a WHERE a.merchant_id = v.merchant_id), '[]') AS accounts
  FROM merchant_view v`;

/** The payment service's copy of merchants: status and active payout accounts. */
@Injectable()
export class MerchantReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Applies snapshots in `em` (the inbox transaction). A snapshot older than the stored version
   * is ignored, so replays and out-of-order deliveries cannot roll a merchant back.
   * Returns how many merchants changed.
   */
  async apply(em: EntityManager, snapshots: MerchantSnapshot[]): Promise<number> {
    let applied = 0;
    for (const s of snapshots) {
      const rows = (await em.query(
        `INSERT INTO merchant_view (merchant_id, status, version_at, version_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (merchant_id) DO UPDATE
           SET status = EXCLUDED.status, version_at = EXCLUDED.version_at, version_id = EXCLUDED.version_id,
               updated_at = now()
           WHERE (merchant_view.version_at, merchant_view.version_id) < (EXCLUDED.version_at, EXCLUDED.version_id)
         RETURNING merchant_id`,
        [s.merchantId, s.status, s.versionAt, s.versionId],
      )) as unknown[];
      if (rows.length === 0) continue;
      applied++;
      await em.query('DELETE FROM merchant_payout_account WHERE merchant_id = $1', [s.merchantId]);
      if (s.payoutAccounts.length > 0) {
        await em.query(
          `INSERT INTO merchant_payout_account (merchant_id, position, bank_bin, account_number, account_name)
           SELECT $1, ord, bin, num, name
           FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS a(bin, num, name, ord)`,
          [
            s.merchantId,
            s.payoutAccounts.map((a) => a.bankBin),
            s.payoutAccounts.map((a) => a.accountNumber),
            s.payoutAccounts.map((a) => a.accountName),
          ],
        );
      }
    }
    return applied;
  }

  async find(merchantId: string, em: EntityManager = this.dataSource.manager): Promise<MerchantView | null> {
    const [merchant] = (await em.query(`SELECT status, accounts FROM (${MERCHANT_VIEW_SQL}) m WHERE merchant_id = $1`, [
      merchantId,
    ])) as { status: string; accounts: PayoutAccountView[] }[];
    return merchant ? { merchantId, status: merchant.status, payoutAccounts: merchant.accounts } : null;
  }
}
