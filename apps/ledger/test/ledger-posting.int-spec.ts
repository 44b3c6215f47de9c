import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createEnvelope, ledgerEvents } from '@cashless/contracts';
import type { EventEnvelope } from '@cashless/contracts';
import { KafkaInboxServer, producerConfig } from '@cashless/messaging';
import type { InboxContext } from '@cashless/messaging';
import { runLedger } from '../../../tools/cli/ledger';
import { verifyJournal } from '../src/journal/chain-reader';
import { JournalRepository } from '../src/journal/journal.repository';
import { ledgerCatalog } from '../src/events';
import { postPaymentEvents } from '../src/posting/payment-events.controller';
import {
  LedgerApp,
  balanceTotals,
  countRows,
  createTestTopic,
  entryTotals,
  eventually,
  ledgerOutbox,
  publish,
  startLedgerApp,
  testKafka,
  uniqueGroup,
} from './ledger-app';
import {
  bankTransfer,
  intentCreated,
  paymentRecorded,
  unattributedAssigned,
  unattributedDismissed,
  unattributedReceived,
} from './payment-events';

/**
 * Payment events from a real Kafka topic into the ledger's real PostgreSQL database. Two
 * consumers with different groups post every event into the same journal at the same time (the
 * app's own, and a second one), so every test also checks that concurrent delivery posts once.
 */
describe('ledger: payment events → journal (real PostgreSQL and Kafka)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let ledger: LedgerApp;
  let second: KafkaInboxServer;
  let topic: string;

  beforeAll(async () => {
    kafka = testKafka('ledger-spec');
    producer = kafka.producer(producerConfig);
    await producer.connect();
    topic = await createTestTopic(kafka, 'ledger-payments', 3);
    ledger = await startLedgerApp('ledger_posting', topic);
    const journal = ledger.app.get(JournalRepository);
    second = new KafkaInboxServer({
      kafka,
      groupId: uniqueGroup('ledger-second'),
      dataSource: ledger.dataSource,
      catalog: ledgerCatalog,
      chunkSize: 7,
    });
    second.addHandler(
      topic,
      (events: EventEnvelope[], ctx: InboxContext) => postPaymentEvents(journal, events, ctx),
      true,
      { batch: true },
    );
    await new Promise<void>((resolve, reject) => second.listen((err?: unknown) => (err ? reject(err) : resolve())));
  });

  afterAll(async () => {
    await second?.close();
    await producer?.disconnect();
    await ledger?.close();
  });

  const transactions = () => countRows(ledger.dataSource, 'SELECT count(*) AS n FROM ledger_transaction');
  const posted = (key: string) =>
    countRows(ledger.dataSource, 'SELECT count(*) AS n FROM ledger_transaction WHERE posting_key = $1', [key]);

  async function merchantTakings(merchantId: string): Promise<number> {
    const [row] = (await ledger.dataSource.query(
      `SELECT coalesce(sum(b.credits - b.debits), 0)::text AS n
       FROM ledger_balance b JOIN ledger_account a ON a.id = b.account_id
       WHERE a.merchant_id = $1 AND a.kind = 'takings'`,
      [merchantId],
    )) as { n: string }[];
    return Number(row.n);
  }

  it('posts every kind of payment event once, balanced, with its event in the outbox', async () => {
    const shop = randomUUID();
    const dynamic = bankTransfer({ amount: 120_000 });
    const staticQr = bankTransfer({ amount: 35_000 });
    const queued = bankTransfer({ amount: 9_000, accountNumber: '555000111' });
    const dismissed = bankTransfer({ amount: 1_000, accountNumber: '555000111' });
    const events = [
      intentCreated(shop, 120_000),
      paymentRecorded(shop, dynamic, { outcome: 'succeeded' }),
      paymentRecorded(shop, staticQr, { outcome: 'static' }),
      unattributedReceived(queued),
      unattributedAssigned(queued, shop),
      unattributedReceived(dismissed),
      unattributedDismissed(dismissed),
    ];
    const before = await transactions();
    await publish(producer, topic, events);

    await eventually(transactions, (n) => n === before + 6);
    expect(await merchantTakings(shop)).toBe(120_000 + 35_000 + 9_000);

    const rows = (await ledger.dataSource.query(
      `SELECT t.posting_key, t.rule, t.channel, t.source_event_id, t.chain_id,
              (SELECT sum(CASE side WHEN 'debit' THEN amount ELSE -amount END) FROM ledger_entry e WHERE e.transaction_id = t.id)::int AS net
       FROM ledger_transaction t WHERE t.notification_id = ANY($1::uuid[]) ORDER BY t.posting_key`,
      [[dynamic, staticQr, queued, dismissed].map((t) => t.notificationId)],
    )) as { posting_key: string; rule: string; channel: string | null; net: number; chain_id: string }[];
    expect(rows.map((r) => [r.posting_key.split(':')[0], r.rule]).sort()).toEqual(
      [
        ['receipt', 'payment_received'],
        ['receipt', 'payment_received'],
        ['receipt', 'transfer_unattributed'],
        ['receipt', 'transfer_unattributed'],
        ['resolution', 'transfer_assigned'],
        ['resolution', 'transfer_dismissed'],
      ].sort(),
    );
    expect(rows.every((r) => r.net === 0)).toBe(true);
    expect(rows.every((r) => r.chain_id.startsWith(`${topic}#`))).toBe(true);

    // One ledger.transaction_posted per transaction, keyed by the merchant, valid against the contract.
    const outbox = await ledgerOutbox(ledger.dataSource, shop);
    expect(outbox.map((o) => o.topic)).toEqual([ledger.eventsTopic, ledger.eventsTopic, ledger.eventsTopic]);
    const schema = ledgerEvents[0].schema;
    for (const o of outbox) expect(schema.safeParse(o.data).success).toBe(true);
    expect(outbox.map((o) => o.data.channel).sort()).toEqual(['dynamic_qr', 'static_qr', 'static_qr']);
    expect(outbox.find((o) => o.data.channel === 'dynamic_qr')?.data).toMatchObject({
      postingKey: `receipt:${dynamic.notificationId}`,
      rule: 'payment_received',
      merchantId: shop,
      sourceEventId: events[1].id,
      effectiveAt: dynamic.transferredAt,
      entries: [
        { accountCode: 'bank:970436:0123456789', side: 'debit', amount: 120_000 },
        { accountCode: `merchant:${shop}:takings:dynamic_qr`, side: 'credit', amount: 120_000 },
      ],
    });
  });

  it('posts a transfer once however many times and in however many events it is delivered', async () => {
    const shop = randomUUID();
    const transfer = bankTransfer({ amount: 77_000 });
    const event = paymentRecorded(shop, transfer);
    // The same event five times, and the same transfer republished in a new event (new id).
    const copies = [
      event,
      event,
      event,
      event,
      event,
      createEnvelope({ ...event, id: undefined, occurredAt: new Date() }),
    ];
    const marker = paymentRecorded(shop, bankTransfer({ amount: 1 }));
    await publish(producer, topic, copies);
    await Promise.all([publish(producer, topic, copies), publish(producer, topic, copies)]);
    await publish(producer, topic, [marker]);

    await eventually(
      () => posted(`receipt:${marker.data.transfer.notificationId}`),
      (n) => n === 1,
    );
    // Both consumers have passed the copies (same partition, earlier offsets) in both groups.
    await eventually(
      () =>
        countRows(ledger.dataSource, 'SELECT count(DISTINCT consumer) AS n FROM inbox_message WHERE event_id = $1', [
          marker.id,
        ]),
      (n) => n === 2,
    );
    expect(await posted(`receipt:${transfer.notificationId}`)).toBe(1);
    expect(await merchantTakings(shop)).toBe(77_001);
    expect((await ledgerOutbox(ledger.dataSource, shop)).length).toBe(2);
  });

  it('dead-letters a poison event and keeps posting the events after it', async () => {
    const shop = randomUUID();
    const good = paymentRecorded(shop, bankTransfer({ amount: 5_000 }));
    const bad = paymentRecorded(shop, bankTransfer({ amount: 5_000 }));
    const invalid = { ...bad, data: { ...bad.data, transfer: { ...bad.data.transfer, amount: -5 } } };
    await producer.send({
      topic,
      messages: [
        { key: shop, value: '{ not json' },
        { key: shop, value: JSON.stringify(invalid) },
        { key: shop, value: JSON.stringify(good) },
      ],
    });
    await eventually(
      () => posted(`receipt:${good.data.transfer.notificationId}`),
      (n) => n === 1,
    );
    // Each of the two consumers parks both poison messages.
    const dead = await eventually(
      () =>
        ledger.dataSource.query(
          `SELECT error FROM dead_letter WHERE message_key = $1 ORDER BY kafka_offset, consumer`,
          [shop],
        ) as Promise<{ error: string }[]>,
      (rows) => rows.length === 4,
    );
    expect(dead.map((d) => d.error)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/data\.transfer\.amount/),
      expect.stringMatching(/data\.transfer\.amount/),
    ]);
    expect(await posted(`receipt:${bad.data.transfer.notificationId}`)).toBe(0);
  });

  describe('refunds and balances over HTTP', () => {
    const officer = { authorization: 'Bearer officer' };
    const shop = randomUUID();
    const dynamic = bankTransfer({ amount: 200_000, transferredAt: '2026-11-20T02:00:00.000Z' });
    const queued = bankTransfer({ amount: 40_000, transferredAt: '2026-11-21T02:00:00.000Z' });
    const payment = paymentRecorded(shop, dynamic);

    beforeAll(async () => {
      await publish(producer, topic, [
        payment,
        unattributedReceived(queued),
        unattributedAssigned(queued, shop, { assignedAt: '2026-11-22T02:00:00.000Z' }),
      ]);
      await eventually(
        () => posted(`resolution:${queued.notificationId}`),
        (n) => n === 1,
      );
      await eventually(
        () => posted(`receipt:${dynamic.notificationId}`),
        (n) => n === 1,
      );
    });

    const refund = (body: object, key: string, auth: object = officer) =>
      ledger
        .http()
        .post('/api/v1/ledger/refunds')
        .set({ ...auth, 'idempotency-key': key })
        .send(body);

    it('records a refund as a compensating transaction and lowers the balance', async () => {
      const body = { merchantId: shop, paymentId: payment.data.paymentId, amount: 50_000, reason: 'khách trả hàng' };
      const first = await refund(body, 'refund-1').expect(201);
      expect(first.body).toMatchObject({
        merchantId: shop,
        paymentId: payment.data.paymentId,
        notificationId: dynamic.notificationId,
        amount: 50_000,
        remaining: 150_000,
      });
      // Same key and body: the first answer again; same key, other body: 422.
      expect((await refund(body, 'refund-1').expect(201)).body).toEqual(first.body);
      await refund({ ...body, amount: 1 }, 'refund-1').expect(422);

      const [tx] = (await ledger.dataSource.query(
        `SELECT t.rule, t.chain_id, t.merchant_id, array_agg(e.side || ' ' || a.code || ' ' || e.amount ORDER BY e.line) AS entries
         FROM ledger_transaction t JOIN ledger_entry e ON e.transaction_id = t.id JOIN ledger_account a ON a.id = e.account_id
         WHERE t.id = $1 GROUP BY t.id, t.rule, t.chain_id, t.merchant_id`,
        [first.body.transactionId],
      )) as { rule: string; chain_id: string; entries: string[] }[];
      expect(tx).toMatchObject({
        rule: 'refund',
        chain_id: 'api',
        entries: [`debit merchant:${shop}:refunds 50000`, 'credit bank:970436:0123456789 50000'],
      });
      const events = await ledgerOutbox(ledger.dataSource, shop);
      expect(events.at(-1)?.data).toMatchObject({ rule: 'refund', refundId: first.body.id, sourceEventId: null });

      const balance = await ledger.http().get(`/api/v1/merchants/${shop}/balance`).set(officer).expect(200);
      expect(balance.body).toEqual({ merchantId: shop, balance: 200_000 + 40_000 - 50_000 });
    });

    it('answers the balance as of a past instant by the entries’ effective time', async () => {
      const at = (asOf: string) =>
        ledger.http().get(`/api/v1/merchants/${shop}/balance`).query({ asOf }).set(officer).expect(200);
      expect((await at('2026-11-19T00:00:00Z')).body.balance).toBe(0);
      expect((await at('2026-11-21T00:00:00Z')).body.balance).toBe(200_000);
      // The queued transfer counts from its assignment, not from its arrival.
      expect((await at('2026-11-21T23:00:00Z')).body.balance).toBe(200_000);
      expect((await at('2026-11-22T02:00:00Z')).body).toEqual({
        merchantId: shop,
        balance: 240_000,
        asOf: '2026-11-22T02:00:00.000Z',
      });
      await ledger
        .http()
        .get(`/api/v1/merchants/${shop}/balance`)
        .query({ asOf: 'yesterday' })
        .set(officer)
        .expect(400);
      // `at` is the short spelling; two different instants are refused.
      const short = await ledger
        .http()
        .get(`/api/v1/merchants/${shop}/balance`)
        .query({ at: '2026-11-22T02:00:00Z' })
        .set(officer)
        .expect(200);
      expect(short.body).toEqual({ merchantId: shop, balance: 240_000, asOf: '2026-11-22T02:00:00.000Z' });
      const both = await ledger
        .http()
        .get(`/api/v1/merchants/${shop}/balance`)
        .query({ at: '2026-11-22T02:00:00Z', asOf: '2026-11-21T00:00:00Z' })
        .set(officer)
        .expect(400);
      expect(both.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['at']);
    });

    it('refuses a refund above what is left of the payment, also when two race for it', async () => {
      const over = await refund(
        { merchantId: shop, paymentId: payment.data.paymentId, amount: 150_001, reason: 'quá' },
        'refund-over',
      ).expect(422);
      expect(over.body.error).toMatchObject({ code: 'refund_exceeds_payment', details: { remaining: 150_000 } });

      const race = await Promise.all(
        ['race-a', 'race-b'].map((key) =>
          refund({ merchantId: shop, paymentId: payment.data.paymentId, amount: 100_000, reason: 'race' }, key),
        ),
      );
      expect(race.map((r) => r.status).sort()).toEqual([201, 422]);
    });

    it('lets a merchant refund its own payment (by bank notification) and nobody else’s', async () => {
      const own = { authorization: `Bearer merchant:${shop}` };
      const body = { merchantId: shop, notificationId: queued.notificationId, amount: 40_000, reason: 'refund' };
      const res = await refund(body, 'own-1', own).expect(201);
      expect(res.body).toMatchObject({ paymentId: expect.any(String), remaining: 0 });

      const stranger = { authorization: `Bearer merchant:${randomUUID()}` };
      await refund(body, 'stranger-1', stranger).expect(404);
      await ledger.http().get(`/api/v1/merchants/${shop}/balance`).set(stranger).expect(404);
      await refund(body, 'anon-1', { authorization: 'Bearer nobody' }).expect(401);
    });

    it('validates the request with field errors', async () => {
      const res = await refund({ merchantId: shop, amount: 0, reason: ' ' }, 'bad-1').expect(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'amount',
        'paymentId',
        'reason',
      ]);
      await ledger
        .http()
        .post('/api/v1/ledger/refunds')
        .set(officer)
        .send({ merchantId: shop, paymentId: payment.data.paymentId, amount: 1, reason: 'x' })
        .expect(400);
      await refund({ merchantId: shop, paymentId: randomUUID(), amount: 1, reason: 'x' }, 'unknown-1').expect(404);
    });
  });

  it('keeps debits = credits and every balance equal to the sum of its entries', async () => {
    const balances = await balanceTotals(ledger.dataSource);
    expect(balances).toEqual(await entryTotals(ledger.dataSource));
    let net = 0n;
    for (const t of balances.values()) net += t.debits - t.credits;
    expect(net).toBe(0n);
  });

  it('refuses to update or delete journal rows', async () => {
    await expect(ledger.dataSource.query('UPDATE ledger_entry SET amount = amount + 1')).rejects.toThrow(/append-only/);
    await expect(ledger.dataSource.query('DELETE FROM ledger_transaction')).rejects.toThrow(/append-only/);
  });

  it('verifies the hash chains, and finds the transaction whose amount a superuser changed', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return {
        out,
        io: {
          stdout: (t: string) => void (out.stdout += t),
          stderr: (t: string) => void (out.stderr += t),
          writeFile: async () => undefined,
          readStdin: async () => '',
        },
      };
    };
    const count = await transactions();
    const clean = await verifyJournal((sql, params) => ledger.dataSource.query(sql, params), 4);
    expect(clean).toEqual({ ok: true, checked: count, chains: expect.any(Number) });
    const ok = io();
    expect(await runLedger(['verify', '--database-url', ledger.databaseUrl], ok.io)).toBe(0);
    expect(ok.out.stdout).toMatch(new RegExp(`^ok: ${count} transactions checked in ${clean.chains} chains?\n$`));

    const [victim] = (await ledger.dataSource.query(
      `SELECT id, chain_id, chain_seq::int AS chain_seq, posting_key FROM ledger_transaction ORDER BY chain_id, chain_seq OFFSET 3 LIMIT 1`,
    )) as { id: string; chain_id: string; chain_seq: number; posting_key: string }[];
    await ledger.dataSource.transaction(async (em) => {
      // What an intruder with superuser rights could do: bypass the append-only triggers.
      await em.query('SET LOCAL session_replication_role = replica');
      await em.query('UPDATE ledger_entry SET amount = amount + 1000 WHERE transaction_id = $1', [victim.id]);
    });

    const tampered = await verifyJournal((sql, params) => ledger.dataSource.query(sql, params));
    expect(tampered).toMatchObject({
      ok: false,
      broken: {
        chainId: victim.chain_id,
        chainSeq: victim.chain_seq,
        transactionId: victim.id,
        problem: 'content does not match its hash (altered)',
      },
    });
    const broken = io();
    expect(await runLedger(['verify', '--database-url', ledger.databaseUrl], broken.io)).toBe(1);
    expect(broken.out.stdout).toContain(
      `broken: chain ${victim.chain_id} at position ${victim.chain_seq} (transaction ${victim.id}, posting key ${victim.posting_key})`,
    );
  });
});
