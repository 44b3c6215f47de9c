import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { BankTransfer, EventEnvelope } from '@cashless/contracts';
import { producerConfig } from '@cashless/messaging';
import { ServiceApp, startServiceApp } from '../../../test/support/service-app';
import { MerchantApp, officerToken, startMerchantApp } from '../../merchant/test/merchant-app';
import { PaymentApp, startPaymentApp } from '../../payment/test/payment-app';
import { ledgerDatabase } from '../src/database';
import { ledgerCatalog } from '../src/events';
import { loadLedgerConfig } from '../src/ledger.config';
import { LedgerModule } from '../src/ledger.module';
import { ReconciliationJob } from '../src/reconciliation/reconciliation.job';
import type { ReconciliationReport } from '../src/reconciliation/reconciliation.service';
import { countRows, createTestTopic, eventually, publish, testKafka } from './ledger-app';
import { bankTransfer, paymentRecorded } from './payment-events';

/**
 * Reconciliation across the three real sources: the ledger's journal and its record of payment
 * events (from real Kafka into real PostgreSQL), and the bank notifications the real payment
 * service lists over HTTP with the officer's credential, checked by the real merchant service.
 * The notifications are stored in the payment service's database directly (the intake itself is
 * the payment service's own specs' business); the events are what it would publish for them.
 */
describe('ledger: daily reconciliation (real PostgreSQL, Kafka and payment service)', () => {
  let producer: Producer;
  let merchant: MerchantApp;
  let payment: PaymentApp;
  let ledger: ServiceApp;
  let officer: { authorization: string };
  const shop = randomUUID();
  const day = '2026-11-21';
  // 10:00 in Vietnam on the 21st, and one minute more per transfer.
  const at = (minute: number, date = '2026-11-21') =>
    new Date(new Date(`${date}T03:00:00.000Z`).getTime() + minute * 60_000).toISOString();
  const transfer = (minute: number, amount: number, date?: string) =>
    bankTransfer({ amount, transferredAt: at(minute, date), receivedAt: at(minute, date) });

  const consistent = transfer(1, 50_000);
  const consistentStatic = transfer(2, 30_000);
  const ignored = transfer(3, 7_000);
  const lost = transfer(4, 12_000);
  const deadLettered = transfer(5, 8_000);
  const mismatched = transfer(6, 40_000);
  const nextDay = transfer(1, 25_000, '2026-11-22');

  async function storeNotification(t: BankTransfer, options: { ignored?: boolean; paymentFor?: string } = {}) {
    await payment.dataSource.query(
      `INSERT INTO bank_notification (id, provider, provider_txn_id, direction, bank_bin, account_number, amount, content,
         transferred_at, payer_name, payer_account, reference, ignored_reason, raw_body, headers, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, '\\x7b7d', '{}', $13)`,
      [
        t.notificationId,
        t.provider,
        t.providerTransactionId,
        options.ignored ? 'out' : 'in',
        t.bankBin,
        t.accountNumber,
        t.amount,
        t.content,
        t.transferredAt,
        t.payerName,
        t.payerAccount,
        options.ignored ? 'outgoing' : null,
        t.receivedAt,
      ],
    );
    if (options.paymentFor) {
      await payment.dataSource.query(
        `INSERT INTO payment (id, notification_id, merchant_id, channel, outcome, amount, transferred_at, recorded_at, data)
         VALUES ($1, $2, $3, 'static_qr', 'static', $4, $5, $6, '{}')`,
        [options.paymentFor, t.notificationId, shop, t.amount, t.transferredAt, t.receivedAt],
      );
    }
  }

  beforeAll(async () => {
    const kafka = testKafka('ledger-reconciliation-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    merchant = await startMerchantApp('ledger_recon_merchant');
    const merchantUrl = await merchant.app.getUrl();
    payment = await startPaymentApp('ledger_recon_payment', merchantUrl);
    officer = { authorization: `Bearer ${await officerToken(merchant)}` };
    const topic = await createTestTopic(kafka, 'ledger-reconciliation', 2);
    const config = loadLedgerConfig({
      ...process.env,
      LEDGER_PAYMENT_TOPIC: topic,
      MERCHANT_URL: merchantUrl,
      PAYMENT_URL: await payment.app.getUrl(),
      LEDGER_RECONCILIATION_INTERVAL_MS: '0',
    });
    // The real authenticator: the officer's credential is checked by the merchant service and
    // passed on to the payment service.
    ledger = await startServiceApp({
      service: 'ledger',
      name: 'ledger_recon',
      database: ledgerDatabase,
      catalog: ledgerCatalog,
      module: LedgerModule.forRoot(config),
      consumesEvents: true,
      logLevel: process.env.LEDGER_TEST_LOG,
    });

    const events = [consistent, consistentStatic, deadLettered, mismatched, nextDay].map((t) =>
      paymentRecorded(shop, t, { outcome: 'static' }),
    );
    for (const [i, t] of [consistent, consistentStatic, deadLettered, mismatched, nextDay].entries()) {
      await storeNotification(t, { paymentFor: events[i].data.paymentId });
    }
    await storeNotification(ignored, { ignored: true });
    await storeNotification(lost);
    // Faults: the event of `lost` never arrives; the one of `deadLettered` cannot be read by the
    // catalog (a malformed payment code) and is parked; the one of `mismatched` names 41,000 đồng.
    const [ok1, ok2, poison, wrongAmount, tomorrow] = events;
    const malformed = { ...poison, data: { ...poison.data, paymentCode: 'not a code' } } as EventEnvelope;
    const misstated = { ...wrongAmount, data: { ...wrongAmount.data, transfer: { ...mismatched, amount: 41_000 } } };
    await publish(producer, topic, [ok1, ok2, malformed, misstated, tomorrow]);
    await eventually(
      async () =>
        (await countRows(ledger.dataSource, 'SELECT count(*) AS n FROM ledger_transaction')) +
        (await countRows(ledger.dataSource, 'SELECT count(*) AS n FROM dead_letter')),
      (n) => n === 5,
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await ledger?.close();
    await payment?.close();
    await merchant?.close();
  });

  const reconcile = async (date: string) =>
    (await ledger.http().get(`/api/v1/ledger/reconciliation?date=${date}`).set(officer).expect(200))
      .body as ReconciliationReport;

  it('the payment service lists a day’s stored notifications with what became of them (officers only)', async () => {
    const page = await payment.http().get(`/api/v1/bank-notifications?date=${day}&limit=4`).set(officer).expect(200);
    expect(page.body.data).toHaveLength(4);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const rest = await payment
      .http()
      .get(`/api/v1/bank-notifications?date=${day}&limit=4&cursor=${page.body.nextCursor}`)
      .set(officer)
      .expect(200);
    expect(rest.body.nextCursor).toBeNull();
    const all = [...page.body.data, ...rest.body.data] as { id: string; outcome: string; amount: number }[];
    expect(all.map((n) => n.id)).toEqual(
      [consistent, consistentStatic, ignored, lost, deadLettered, mismatched].map((t) => t.notificationId),
    );
    expect(all.map((n) => n.outcome)).toEqual(['payment', 'payment', 'ignored', 'unmatched', 'payment', 'payment']);
    await payment.http().get(`/api/v1/bank-notifications?date=${day}`).expect(401);
    const bad = await payment.http().get('/api/v1/bank-notifications?date=2026-02-30').set(officer).expect(400);
    expect(bad.body.error.details.fields).toEqual([
      { field: 'date', message: expect.objectContaining({ vi: expect.any(String) }) },
    ]);
  });

  it('lists every difference of a day with its cause', async () => {
    const report = await reconcile(day);
    expect(report).toMatchObject({
      date: day,
      trigger: 'request',
      clean: false,
      counts: { notifications: 6, ignoredNotifications: 1, events: 3, deadLetters: 1, postings: 3 },
      totals: { notifications: 140_000, events: 121_000, postings: 121_000 },
      notes: [],
    });
    const found = report.differences.map((d) => [d.kind, d.notificationId]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['notification_without_event', lost.notificationId],
        ['event_not_posted', deadLettered.notificationId],
        ['amount_mismatch', mismatched.notificationId],
      ]),
    );
    expect(found).toHaveLength(3);
    expect(report.differences.find((d) => d.kind === 'event_not_posted')?.cause).toMatch(/dead letter/);
    expect(report.differences.find((d) => d.kind === 'amount_mismatch')?.details).toMatchObject({
      notificationAmount: 40_000,
      eventAmount: 41_000,
    });
  });

  it('finds a consistent day clean, and keeps every run to be read later', async () => {
    const report = await reconcile('2026-11-22');
    expect(report).toMatchObject({
      clean: true,
      differences: [],
      counts: { notifications: 1, events: 1, postings: 1 },
    });
    const runs = await ledger.http().get('/api/v1/ledger/reconciliation/runs?date=2026-11-22').set(officer).expect(200);
    expect(runs.body[0]).toMatchObject({ id: report.id, clean: true, trigger: 'request' });
    const stored = await ledger.http().get(`/api/v1/ledger/reconciliation/runs/${report.id}`).set(officer).expect(200);
    expect(stored.body).toEqual(report);
  });

  it('the daily job reconciles the day before, noting that it had no credential for the notifications', async () => {
    await ledger.app.get(ReconciliationJob).tick(new Date('2026-11-22T02:00:00.000Z'));
    const runs = await ledger.http().get(`/api/v1/ledger/reconciliation/runs?date=${day}`).set(officer).expect(200);
    const scheduled = (runs.body as { id: string; trigger: string }[]).find((r) => r.trigger === 'schedule')!;
    const stored = (
      await ledger.http().get(`/api/v1/ledger/reconciliation/runs/${scheduled.id}`).set(officer).expect(200)
    ).body as ReconciliationReport;
    expect(stored.notes).toEqual([expect.stringMatching(/LEDGER_RECONCILIATION_TOKEN/)]);
    // Without the notifications, the lost event cannot be seen; the dead letter and the rest can.
    expect(stored.differences.map((d) => d.kind)).toEqual(['event_not_posted']);
  });

  it('is for officers only, and validates the date', async () => {
    const merchantKey = { authorization: `Bearer ${randomUUID()}` };
    await ledger.http().get(`/api/v1/ledger/reconciliation?date=${day}`).set(merchantKey).expect(401);
    const bad = await ledger.http().get('/api/v1/ledger/reconciliation?date=21-11-2026').set(officer).expect(400);
    expect(bad.body.error.details.fields[0].field).toBe('date');
    await ledger.http().get(`/api/v1/ledger/reconciliation/runs/${randomUUID()}`).set(officer).expect(404);
  });
});
