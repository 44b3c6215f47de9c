import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentRecordedData } from '@cashless/contracts';
import { NOTICE_CHANNEL, channelPayload } from './notice-channel';
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
    const rows = (await em.query(
      `INSERT INTO merchant_notice (payment_id, merchant_id, payload) VALUES ($1, $2, $3)
       ON CONFLICT (payment_id) DO NOTHING RETURNING seq::text AS seq`,
      [payment.paymentId, payment.merchantId, JSON.stringify(notice)],
    )) as { seq: string }[];
    if (rows.length === 0) return;
    const seq = BigInt(rows[0].seq);
    await em.query('SELECT pg_notify($1, $2)', [NOTICE_CHANNEL, channelPayload(payment.merchantId, seq, notice)]);
    await this.webhooks.enqueuePayment(em, payment);
  }
}
