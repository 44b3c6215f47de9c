import { Controller, Inject, Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@cashless/contracts';
import { preparedStatement, runPrepared } from '@cashless/database';
import { InboxContext, OnTopic } from '@cashless/messaging';
import { JournalRepository } from '../journal/journal.repository';
import { postPaymentEvents } from '../posting/payment-events.controller';
import { paymentEventRecord } from './payment-event-record';

const RECORD_PAYMENT_EVENTS = preparedStatement(
  'ledger_record_payment_events',
  `INSERT INTO ledger_payment_event (event_id, event_type, posting_key, notification_id, payment_id, merchant_id,
     amount, payment_code, order_ref, payer_name, received_at, effective_at)
   SELECT * FROM json_to_recordset($1::json) AS t(event_id uuid, event_type text, posting_key text,
     notification_id uuid, payment_id uuid, merchant_id uuid, amount bigint, payment_code text, order_ref text,
     payer_name text, received_at timestamptz, effective_at timestamptz)
   ON CONFLICT (event_id) DO NOTHING`,
);

/**
 * Records the money-moving events of a chunk in `ledger_payment_event`, in the caller's (inbox)
 * transaction: a row exists exactly when the event was processed. A second consumer of the
 * same events (another group) finds the rows there already.
 */
export async function recordPaymentEvents(em: EntityManager, events: EventEnvelope[]): Promise<void> {
  const rows = events.flatMap((e) => {
    const r = paymentEventRecord(e);
    return r
      ? [
          {
            event_id: r.eventId,
            event_type: r.eventType,
            posting_key: r.postingKey,
            notification_id: r.notificationId,
            payment_id: r.paymentId,
            merchant_id: r.merchantId,
            amount: r.amount,
            payment_code: r.paymentCode,
            order_ref: r.orderRef,
            payer_name: r.payerName,
            received_at: r.receivedAt,
            effective_at: r.effectiveAt,
          },
        ]
      : [];
  });
  if (rows.length === 0) return;
  await runPrepared(em, RECORD_PAYMENT_EVENTS, [JSON.stringify(rows)]);
}

/**
 * The consumer of payment events: posts a chunk (the journal's own handler) and records its
 * money-moving events, both in the inbox's database transaction.
 */
export function recordingPaymentEventsController(topic: string): Type<unknown> {
  @Controller()
  class RecordingPaymentEventsController {
    constructor(@Inject(JournalRepository) private readonly journal: JournalRepository) {}

    @OnTopic(topic, { batch: true })
    async onPaymentEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
      await postPaymentEvents(this.journal, events, ctx);
      await recordPaymentEvents(ctx.transaction, events);
    }
  }
  return RecordingPaymentEventsController;
}
