import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { EventEnvelope } from '@cashless/contracts';
import { ServiceApp, startServiceApp } from '../../../test/support/service-app';
import { ledgerDatabase } from '../src/database';
import { MerchantAuthenticator } from '@cashless/auth';
import type { CallerPrincipal } from '@cashless/auth';
import { ledgerCatalog } from '../src/events';
import { loadLedgerConfig } from '../src/ledger.config';
import { LedgerModule } from '../src/ledger.module';

/**
 * The ledger service as `main.ts` assembles it, on a fresh database, listening on a random port,
 * consuming `paymentTopic` (a topic of the spec's own, so it sees only its events) from the real
 * broker with a consumer group of its own. The outbox writer is real and the relay left out, so a
 * spec reads what each posting wrote to `outbox_message`.
 */
export interface LedgerApp extends ServiceApp {
  paymentTopic: string;
  eventsTopic: string;
  databaseUrl: string;
}

/**
 * Stands in for the merchant service's answer to "who is this?" (ADR 0010), which the payment
 * service's specs exercise for real: `Bearer officer` is an officer, `Bearer merchant:<id>` that merchant.
 */
export class FakeAuthenticator extends MerchantAuthenticator {
  async authenticate(authorization: string): Promise<CallerPrincipal | undefined> {
    const token = authorization.replace(/^Bearer /i, '');
    if (token === 'officer') return { kind: 'officer', username: 'admin' };
    const merchant = /^merchant:([0-9a-f-]{36})$/.exec(token);
    return merchant ? { kind: 'merchant', merchantId: merchant[1] } : undefined;
  }
}

export async function startLedgerApp(name: string, paymentTopic: string): Promise<LedgerApp> {
  const eventsTopic = `test.ledger-events.${randomBytes(4).toString('hex')}.v1`;
  const config = loadLedgerConfig({
    ...process.env,
    LEDGER_PAYMENT_TOPIC: paymentTopic,
    LEDGER_EVENTS_TOPIC: eventsTopic,
  });
  const app = await startServiceApp({
    service: 'ledger',
    name,
    database: ledgerDatabase,
    catalog: ledgerCatalog,
    module: LedgerModule.forRoot(config, { authenticator: new FakeAuthenticator() }),
    consumesEvents: true,
    logLevel: process.env.LEDGER_TEST_LOG,
  });
  return { ...app, paymentTopic, eventsTopic, databaseUrl: (app.dataSource.options as { url: string }).url };
}

/** Publishes events as the payment service's relay would: JSON envelopes keyed by their key. */
export async function publish(producer: Producer, topic: string, envelopes: EventEnvelope[]): Promise<void> {
  await producer.send({ topic, messages: envelopes.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
}

export interface AccountTotals {
  debits: bigint;
  credits: bigint;
}

/** Account code → totals from the balance buckets (summed over lanes). */
export async function balanceTotals(db: DataSource): Promise<Map<string, AccountTotals>> {
  const rows = (await db.query(
    `SELECT a.code, sum(b.debits)::text AS debits, sum(b.credits)::text AS credits
     FROM ledger_balance b JOIN ledger_account a ON a.id = b.account_id GROUP BY a.code ORDER BY a.code`,
  )) as { code: string; debits: string; credits: string }[];
  return new Map(rows.map((r) => [r.code, { debits: BigInt(r.debits), credits: BigInt(r.credits) }]));
}

/** Account code → totals recomputed from the journal's entries. */
export async function entryTotals(db: DataSource): Promise<Map<string, AccountTotals>> {
  const rows = (await db.query(
    `SELECT a.code,
            coalesce(sum(e.amount) FILTER (WHERE e.side = 'debit'), 0)::text AS debits,
            coalesce(sum(e.amount) FILTER (WHERE e.side = 'credit'), 0)::text AS credits
     FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id GROUP BY a.code ORDER BY a.code`,
  )) as { code: string; debits: string; credits: string }[];
  return new Map(rows.map((r) => [r.code, { debits: BigInt(r.debits), credits: BigInt(r.credits) }]));
}

export async function countRows(db: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await db.query(sql, params)) as { n: string }[];
  return Number(row.n);
}

export { outboxFor as ledgerOutbox } from '../../../test/support/outbox';
export { createTestTopic, eventually, testKafka, uniqueGroup } from '../../../libs/messaging/test/fixtures';
