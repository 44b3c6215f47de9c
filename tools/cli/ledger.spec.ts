import { describe, expect, it } from '@jest/globals';
import { UsageError } from './args';
import type { CliIo } from './cli';
import { LEDGER_USAGE, describe as describeVerification, runLedger } from './ledger';

function fakeIo() {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    writeFile: async () => undefined,
    readStdin: async () => '',
  };
  return { io, out };
}

describe('cashless ledger', () => {
  it('prints its usage', async () => {
    const { io, out } = fakeIo();
    expect(await runLedger(['--help'], io)).toBe(0);
    expect(out.stdout).toBe(`${LEDGER_USAGE}\n`);
  });

  it('rejects unknown commands, options and URLs as usage errors', async () => {
    const { io } = fakeIo();
    await expect(runLedger([], io)).rejects.toThrow(UsageError);
    await expect(runLedger(['balance'], io)).rejects.toThrow(/unknown ledger command "balance"/);
    await expect(runLedger(['verify', '--fast'], io)).rejects.toThrow(/unknown option --fast/);
    await expect(runLedger(['verify', '--database-url', 'mysql://x/y'], io)).rejects.toThrow(/postgres:\/\//);
  });

  it('exits 1 with a message when the database cannot be read', async () => {
    const { io, out } = fakeIo();
    const code = await runLedger(
      ['verify', '--database-url', 'postgres://nobody:secret@127.0.0.1:1/cashless_ledger'],
      io,
    );
    expect(code).toBe(1);
    expect(out.stderr).toMatch(
      /could not read the ledger at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/cashless_ledger/,
    );
  });

  it('says ok with the count, or where the first broken link is', () => {
    expect(describeVerification({ ok: true, checked: 1, chains: 1 })).toBe('ok: 1 transaction checked in 1 chain');
    expect(
      describeVerification({
        ok: false,
        checked: 41,
        chains: 2,
        broken: {
          chainId: 'payment.events.v1#2',
          chainSeq: 17,
          transactionId: '0190a5c4-0000-8000-8000-000000000001',
          postingKey: 'receipt:0190a5c4-0000-7000-8000-000000000001',
          problem: 'content does not match its hash (altered)',
        },
      }),
    ).toBe(
      'broken: chain payment.events.v1#2 at position 17 (transaction 0190a5c4-0000-8000-8000-000000000001, ' +
        'posting key receipt:0190a5c4-0000-7000-8000-000000000001): content does not match its hash (altered); ' +
        '41 transactions checked before it',
    );
  });
});
