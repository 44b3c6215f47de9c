import { UsageError } from './args';
import type { CliIo } from './cli';

/** `cashless pay '<payload>' [--amount N]`: pay a VietQR through the sandbox bank. */
export async function runPay(_args: readonly string[], _io: CliIo): Promise<number> {
  throw new UsageError('pay is not available yet');
}
