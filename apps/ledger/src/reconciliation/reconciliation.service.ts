import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@cashless/contracts';
import { errorMessage } from '@cashless/messaging';
import { LEDGER_CONFIG } from '../ledger.config';
import type { LedgerConfig } from '../ledger.config';
import { fetchDayNotifications } from './bank-notifications.client';
import { paymentEventRecord } from './payment-event-record';
import { reconcile } from './reconciliation';
import type {
  DeadLetterRecord,
  EventRecord,
  NotificationRecord,
  PostingRecord,
  ReconciliationOutcome,
} from './reconciliation';

export interface ReconciliationReport extends ReconciliationOutcome {
  id: string;
  date: string;
  checkedAt: string;
  trigger: 'schedule' | 'request';
  /** What could not be compared and why (e.g. the bank notifications were not readable). */
  notes: string[];
}

export interface RunOptions {
  trigger: 'schedule' | 'request';
  requestedBy: string | null;
  /** Credential for the payment service's notification list; without it source (c) is skipped. */
  authorization: string | null;
}

interface Day {
  date: string;
  from: Date;
  to: Date;
}

/** Gathers the three sources of a day, compares them (pure `reconcile`), stores the run. */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async run(day: Day, options: RunOptions): Promise<ReconciliationReport> {
    const notes: string[] = [];
    const [events, deadLetters, notifications] = await Promise.all([
      this.events(day),
      this.deadLetters(day),
      this.notifications(day, options.authorization, notes),
    ]);
    const keys = new Set([
      ...events.map((e) => e.postingKey),
      ...deadLetters.flatMap((d) => (d.postingKey ? [d.postingKey] : [])),
      ...(notifications ?? []).map((n) => `receipt:${n.notificationId}`),
    ]);
    const postings = await this.postings(day, [...keys]);
    const report: ReconciliationReport = {
      id: randomUUID(),
      date: day.date,
      checkedAt: new Date().toISOString(),
      trigger: options.trigger,
      ...reconcile({ postings, events, deadLetters, notifications }),
      notes,
    };
    await this.dataSource.query(
      `INSERT INTO ledger_reconciliation_run (id, day, checked_at, trigger, requested_by, clean, report)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        report.id,
        day.date,
        report.checkedAt,
        report.trigger,
        options.requestedBy,
        report.clean,
        JSON.stringify(report),
      ],
    );
    return report;
  }

  /** Stored runs of a day, newest first (summaries). */
  async runs(date: string): Promise<Pick<ReconciliationReport, 'id' | 'date' | 'checkedAt' | 'trigger' | 'clean'>[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, to_char(day, 'YYYY-MM-DD') AS date, checked_at, trigger, clean FROM ledger_reconciliation_run
       WHERE day = $1 ORDER BY checked_at DESC LIMIT 100`,
      [date],
    )) as { id: string; date: string; checked_at: Date; trigger: 'schedule' | 'request'; clean: boolean }[];
    return rows.map((r) => ({
      id: r.id,
      date: r.date,
      checkedAt: r.checked_at.toISOString(),
      trigger: r.trigger,
      clean: r.clean,
    }));
  }

  async storedRun(id: string): Promise<ReconciliationReport | undefined> {
    const [row] = (await this.dataSource.query('SELECT report FROM ledger_reconciliation_run WHERE id = $1', [id])) as {
      report: ReconciliationReport;
    }[];
    return row?.report;
  }

  /** Receipts by the day the payment service received the transfer; resolutions by when they took effect. */
  private async events(day: Day): Promise<EventRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT event_id, event_type, posting_key, notification_id, payment_id, amount::text AS amount
       FROM ledger_payment_event
       WHERE (posting_key LIKE 'receipt:%' AND received_at >= $1 AND received_at < $2)
          OR (posting_key NOT LIKE 'receipt:%' AND effective_at >= $1 AND effective_at < $2)
       ORDER BY received_at, event_id`,
      [day.from, day.to],
    )) as {
      event_id: string;
      event_type: string;
      posting_key: string;
      notification_id: string;
      payment_id: string | null;
      amount: string;
    }[];
    return rows.map((r) => ({
      eventId: r.event_id,
      eventType: r.event_type,
      postingKey: r.posting_key,
      notificationId: r.notification_id,
      paymentId: r.payment_id,
      amount: Number(r.amount),
    }));
  }

  /**
   * Payment events parked in the dead letter, placed on the day of the transfer they carry (the
   * same rule as received events); one that cannot be read is placed on the day it failed.
   */
  private async deadLetters(day: Day): Promise<DeadLetterRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (coalesce(event_id, id::text)) event_id, value, error, failed_at
       FROM dead_letter WHERE topic = $1 ORDER BY coalesce(event_id, id::text), id`,
      [this.config.paymentTopic],
    )) as { event_id: string | null; value: string | null; error: string; failed_at: Date }[];
    const inDay = (at: Date) => at >= day.from && at < day.to;
    return rows.flatMap((row): DeadLetterRecord[] => {
      const record = readDeadLetter(row.value);
      if (record === null) return [];
      if (record === undefined) {
        if (!inDay(row.failed_at)) return [];
        return [
          {
            eventId: row.event_id,
            eventType: null,
            postingKey: null,
            notificationId: null,
            paymentId: null,
            amount: null,
            error: row.error,
          },
        ];
      }
      const at = new Date(record.postingKey.startsWith('receipt:') ? record.receivedAt : record.effectiveAt);
      if (!inDay(at)) return [];
      return [
        {
          eventId: record.eventId,
          eventType: record.eventType,
          postingKey: record.postingKey,
          notificationId: record.notificationId,
          paymentId: record.paymentId,
          amount: record.amount,
          error: row.error,
        },
      ];
    });
  }

  private async notifications(
    day: Day,
    authorization: string | null,
    notes: string[],
  ): Promise<NotificationRecord[] | null> {
    if (!authorization) {
      notes.push(
        'bank notifications not compared: no credential for the payment service (set LEDGER_RECONCILIATION_TOKEN)',
      );
      return null;
    }
    try {
      return await fetchDayNotifications(this.config.paymentUrl, day.date, authorization);
    } catch (error) {
      notes.push(`bank notifications not compared: ${errorMessage(error)}`);
      return null;
    }
  }

  /**
   * Event-caused transactions for the day's keys, plus those effective on the day whose event
   * the ledger has no record of at all (an event on record belongs to its own day).
   */
  private async postings(day: Day, keys: string[]): Promise<PostingRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT t.id, t.posting_key, t.source_event_id, t.notification_id, t.payment_id,
              (SELECT sum(e.amount) FROM ledger_entry e WHERE e.transaction_id = t.id AND e.side = 'debit')::text AS amount
       FROM ledger_transaction t
       WHERE t.source_event_id IS NOT NULL
         AND (t.posting_key = ANY($1::text[])
              OR (t.effective_at >= $2 AND t.effective_at < $3
                  AND NOT EXISTS (SELECT 1 FROM ledger_payment_event pe WHERE pe.posting_key = t.posting_key)))
       ORDER BY t.effective_at, t.id`,
      [keys, day.from, day.to],
    )) as {
      id: string;
      posting_key: string;
      source_event_id: string;
      notification_id: string | null;
      payment_id: string | null;
      amount: string;
    }[];
    return rows.map((r) => ({
      transactionId: r.id,
      postingKey: r.posting_key,
      sourceEventId: r.source_event_id,
      notificationId: r.notification_id,
      paymentId: r.payment_id,
      amount: Number(r.amount),
    }));
  }
}

/** The dead-lettered event's record; null when it moves no money, undefined when it cannot be read. */
function readDeadLetter(value: string | null) {
  if (value === null) return undefined;
  try {
    return paymentEventRecord(JSON.parse(value) as EventEnvelope);
  } catch {
    return undefined;
  }
}
