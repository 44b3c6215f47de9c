import { Client } from 'pg';
import { redactUrl, withDatabase } from '@cashless/database';
import { verifyJournal } from '../../apps/ledger/src/journal/chain-reader';
import type { ChainVerification } from '../../apps/ledger/src/journal/hash-chain';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './cli';

export const LEDGER_USAGE = `Usage:
  cashless ledger verify [--database-url URL] [--json]
      Check the hash chains of the ledger journal: every transaction's hash against its
      content and the previous transaction's hash, chain by chain. Prints "ok" with the number
      of transactions checked, or the first broken link. The database is --database-url, else
      DATABASE_URL, else the local server's cashless_ledger database.

Exit codes: 0 ok, 1 a broken link (or the database could not be read), 2 bad arguments.`;

const LOCAL_LEDGER_URL = withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'cashless_ledger');

/** `cashless ledger verify`: check the ledger's hash chains. */
export async function runLedger(argv: readonly string[], io: CliIo, env = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(`${LEDGER_USAGE}\n`);
    return 0;
  }
  if (sub !== 'verify') {
    throw new UsageError(sub === undefined ? 'ledger needs a command (verify)' : `unknown ledger command "${sub}"`);
  }
  const args = parseArgs(rest, { values: ['database-url'], flags: ['json'] });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const url = args.values.get('database-url') ?? env.DATABASE_URL ?? LOCAL_LEDGER_URL;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--database-url: must be a postgres:// URL');

  const client = new Client({ connectionString: url, application_name: 'cashless-ledger-verify' });
  let result: ChainVerification;
  try {
    await client.connect();
    result = await verifyJournal(async (sql, params) => (await client.query(sql, params)).rows);
  } catch (error) {
    io.stderr(
      `cashless: could not read the ledger at ${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(`${describe(result)}\n`);
  return result.ok ? 0 : 1;
}

export function describe(result: ChainVerification): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const chains = plural(result.chains, 'chain');
  if (result.ok) return `ok: ${plural(result.checked, 'transaction')} checked in ${chains}`;
  const b = result.broken;
  return (
    `broken: chain ${b.chainId} at position ${b.chainSeq} (transaction ${b.transactionId}, ` +
    `posting key ${b.postingKey}): ${b.problem}; ${plural(result.checked, 'transaction')} checked before it`
  );
}
