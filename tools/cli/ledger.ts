import { UsageError } from './args';
import type { CliIo } from './cli';

/** `cashless ledger verify`: check the ledger's hash chain. */
export async function runLedger(_args: readonly string[], _io: CliIo): Promise<number> {
  throw new UsageError('ledger is not available yet');
}
