import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentRecordedData } from '@cashless/contracts';
import { preparedStatement, queryPrepared } from '@cashless/database';
import type { PreparedStatement } from '@cashless/database';
import { LiveNoticeSignal } from './live-notice-signal';
import { noticeOf } from './payment-notice';
import { PaymentNotices } from './payment-notices';
import { WebhookDeliveries } from './webhook-deliveries.service';

/**
 * The real PaymentNotices: in the recording transaction, the notice is stored for replay and the
 * merchant's webhook delivery is queued; the live feed is signalled once the transaction commits
 * (never after a rollback). A payment announced before is not announced again.
 */
@Injectable()
export class TransactionalPaymentNotices extends PaymentNotices {
  /** Built on first use: its delivery part comes from WebhookDeliveries and is the same text every time. */
  private statement?: PreparedStatement;

  constructor(
    private readonly webhooks: WebhookDeliveries,
    private readonly signal: LiveNoticeSignal,
  ) {
    super();
  }

  async paymentRecorded(em: EntityManager, payment: PaymentRecordedData): Promise<void> {
    const notice = noticeOf(payment);
    // One round trip: the notice (once per payment) and its webhook delivery (only when the notice
    // is new). The merchant's lock, held to commit, makes its notices' sequence follow commit
    // order, so a feed catching up "after seq N" never skips one that commits late.
    const delivery = this.webhooks.paymentDeliveryCte(payment, 4);
    this.statement ??= preparedStatement(
      'payment_record_notice',
      `WITH lock AS MATERIALIZED (
         SELECT pg_advisory_xact_lock(hashtextextended($2::text, 0))
       ), gate AS (
         INSERT INTO merchant_notice (payment_id, merchant_id, payload)
         SELECT $1, $2::text::uuid, $3::jsonb WHERE (SELECT count(*) FROM lock) >= 0
         ON CONFLICT (payment_id) DO NOTHING RETURNING seq
       ), ${delivery.sql}
       SELECT seq::text AS seq FROM gate`,
    );
    const rows = await queryPrepared<{ seq: string }>(em, this.statement, [
      payment.paymentId,
      payment.merchantId,
      JSON.stringify(notice),
      ...delivery.params,
    ]);
    if (rows.length === 0) return;
    this.signal.stage(em, { merchantId: payment.merchantId, seq: BigInt(rows[0].seq), notice });
  }
}
