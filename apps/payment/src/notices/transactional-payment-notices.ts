import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentRecordedData } from '@cashless/contracts';
import { NOTICE_CHANNEL, channelPayloadSql } from './notice-channel';
import { noticeOf } from './payment-notice';
import { PaymentNotices } from './payment-notices';
import { WebhookDeliveries } from './webhook-deliveries.service';

/**
 * The real PaymentNotices: in the recording transaction, the notice is stored for replay, the live
 * feed is signalled with pg_notify (PostgreSQL delivers it on commit, never after a rollback) and
 * the merchant's webhook delivery is queued. A payment announced before is not announced again.
 */
@Injectable()
export class TransactionalPaymentNotices extends PaymentNotices {
  constructor(private readonly webhooks: WebhookDeliveries) {
    super();
  }

  async paymentRecorded(em: EntityManager, payment: PaymentRecordedData): Promise<void> {
    const notice = noticeOf(payment);
    // One round trip: the notice (once per payment), its NOTIFY and the webhook delivery, the
    // last two only when the notice is new.
    const delivery = this.webhooks.paymentDeliveryCte(payment, 5);
    await em.query(
      `WITH gate AS (
         INSERT INTO merchant_notice (payment_id, merchant_id, payload) VALUES ($1, $2::text::uuid, $3::text::jsonb)
         ON CONFLICT (payment_id) DO NOTHING RETURNING seq
       ), ${delivery.sql}
       SELECT pg_notify($4, ${channelPayloadSql('$2::text', 'gate.seq', '$3::text::json')}) FROM gate`,
      [payment.paymentId, payment.merchantId, JSON.stringify(notice), NOTICE_CHANNEL, ...delivery.params],
    );
  }
}
