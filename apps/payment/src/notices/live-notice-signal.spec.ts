import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager, QueryRunner, TransactionCommitEvent } from 'typeorm';
import type { AppLogger } from '@cashless/observability';
import { LiveNoticeSignal } from './live-notice-signal';
import { parseChannelMessages } from './notice-channel';

const silent = { warn: () => undefined } as unknown as AppLogger;

/** A signal whose NOTIFY takes `delayMs` (no database), recording what each send carried. */
function fakeSignal(delayMs: number) {
  const sends: bigint[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  class RecordingSignal extends LiveNoticeSignal {
    protected override async notify(payloads: string[]): Promise<void> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(delayMs);
      sends.push(payloads.flatMap(parseChannelMessages).map((m) => m.seq));
      inFlight--;
    }
  }
  const signal = new RecordingSignal({ subscribers: [] } as unknown as DataSource, silent);
  return { signal, sends, maxInFlight: () => maxInFlight };
}

/** A transaction that staged `seqs`; the event it returns is its outermost commit (or rollback). */
function transaction(signal: LiveNoticeSignal, seqs: bigint[]): TransactionCommitEvent {
  const queryRunner = { isTransactionActive: true } as QueryRunner;
  const em = { queryRunner } as EntityManager;
  for (const seq of seqs) signal.stage(em, { merchantId: 'm-1', seq });
  (queryRunner as { isTransactionActive: boolean }).isTransactionActive = false;
  return { queryRunner } as TransactionCommitEvent;
}

describe('LiveNoticeSignal', () => {
  it('announces committed notices once, gathered into few sends, never two sends at once', async () => {
    const fake = fakeSignal(30);
    const { signal } = fake;
    for (let i = 1; i <= 50; i++) {
      signal.afterTransactionCommit(transaction(signal, [BigInt(i)]));
      if (i % 10 === 0) await sleep(10);
    }
    await sleep(200);
    await signal.flush();
    expect(fake.sends.flat()).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 1)));
    expect(fake.maxInFlight()).toBe(1);
    expect(fake.sends.length).toBeLessThanOrEqual(4);
  });

  it('drops the notices of a rolled-back transaction', async () => {
    const fake = fakeSignal(0);
    const { signal } = fake;
    const rolledBack = transaction(signal, [1n]);
    signal.afterTransactionRollback(rolledBack);
    signal.afterTransactionCommit(rolledBack);
    signal.afterTransactionCommit(transaction(signal, [2n]));
    await sleep(20);
    await signal.flush();
    expect(fake.sends.flat()).toEqual([2n]);
  });

  it('waits for the outermost commit: a released savepoint announces nothing yet', async () => {
    const fake = fakeSignal(0);
    const { signal } = fake;
    const queryRunner = { isTransactionActive: true } as QueryRunner;
    signal.stage({ queryRunner } as EntityManager, { merchantId: 'm-1', seq: 3n });
    signal.afterTransactionCommit({ queryRunner } as TransactionCommitEvent);
    await sleep(20);
    await signal.flush();
    expect(fake.sends).toEqual([]);
    (queryRunner as { isTransactionActive: boolean }).isTransactionActive = false;
    signal.afterTransactionCommit({ queryRunner } as TransactionCommitEvent);
    await sleep(20);
    await signal.flush();
    expect(fake.sends.flat()).toEqual([3n]);
  });

  it('refuses to stage outside a transaction', () => {
    const { signal } = fakeSignal(0);
    expect(() =>
      signal.stage({ queryRunner: undefined } as unknown as EntityManager, { merchantId: 'm', seq: 1n }),
    ).toThrow(/inside a transaction/);
  });
});
