import { TRANSFER_AMOUNT_LIMIT } from '@cashless/contracts';
import { preparePayment } from '../../apps/bank-sim/src/bank/pay';
import { bankSimEnv } from '../../apps/bank-sim/src/config';
import {
  DEFAULT_RETRY,
  MAX_DUPLICATES,
  deliverNotification,
  isAccepted,
  type Delivery,
} from '../../apps/bank-sim/src/delivery/delivery';
import { createHttpSender, type Sender } from '../../apps/bank-sim/src/delivery/sender';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './cli';

/** What `pay` needs from the outside world; tests pass a fake sender and their own env. */
export interface PayDeps {
  send?: Sender;
  env?: Record<string, string | undefined>;
  sleep?: (ms: number) => Promise<unknown>;
}

const DIGITS = /^\d+$/;
const PAYER_ACCOUNT = /^[0-9A-Za-z]{1,40}$/;

function wholeNumber(option: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!DIGITS.test(text) || Number(text) > max) {
    throw new UsageError(`--${option}: a whole number up to ${max.toLocaleString('en-US')}, got "${text}"`);
  }
  return Number(text);
}

function describe(delivery: Delivery): string {
  if (delivery.status === null) return `no answer (${delivery.error ?? 'network error'})`;
  return `HTTP ${delivery.status}${delivery.body === null ? '' : ` ${JSON.stringify(delivery.body)}`}`;
}

/**
 * `cashless pay '<payload>'`: scans the QR like the sandbox bank (same rules, same code) and
 * delivers the signed notification to the platform. Prints `{ notification, transfer,
 * deliveries }`; exit 0 when every delivery was accepted (duplicates included), 1 when the QR is
 * refused or the platform did not accept, 2 for bad arguments.
 */
export async function runPay(argv: readonly string[], io: CliIo, deps: PayDeps = {}): Promise<number> {
  const args = parseArgs(argv, {
    values: ['amount', 'payer-name', 'payer-account', 'duplicates', 'gateway', 'secret'],
    flags: ['mangle'],
  });
  if (args.positionals.length === 0) throw new UsageError('pay needs a payload (or "-" to read stdin)');
  if (args.positionals.length > 1) {
    throw new UsageError(`pay takes one payload, got ${args.positionals.length} arguments; quote the payload`);
  }
  const amount = wholeNumber('amount', args.values.get('amount'), TRANSFER_AMOUNT_LIMIT - 1);
  if (amount === 0) throw new UsageError('--amount: must be above 0');
  const duplicates = wholeNumber('duplicates', args.values.get('duplicates'), MAX_DUPLICATES) ?? 0;
  const payerName = args.values.get('payer-name');
  if (payerName !== undefined && (payerName.trim() === '' || payerName.length > 200)) {
    throw new UsageError('--payer-name: 1–200 characters');
  }
  const payerAccount = args.values.get('payer-account');
  if (payerAccount !== undefined && !PAYER_ACCOUNT.test(payerAccount)) {
    throw new UsageError(`--payer-account: 1–40 letters or digits, got "${payerAccount}"`);
  }
  const env = deps.env ?? process.env;
  const config = bankSimEnv.safeParse({
    GATEWAY_URL: args.values.get('gateway') ?? env.GATEWAY_URL,
    BANK_WEBHOOK_SECRET: args.values.get('secret') ?? env.BANK_WEBHOOK_SECRET,
    BANK_SIM_CARD_TRANSFERS: env.BANK_SIM_CARD_TRANSFERS,
  });
  if (!config.success) {
    const key = String(config.error.issues[0].path[0]);
    const source =
      key === 'GATEWAY_URL'
        ? '--gateway (or GATEWAY_URL)'
        : key === 'BANK_WEBHOOK_SECRET'
          ? '--secret (or BANK_WEBHOOK_SECRET)'
          : key;
    const what =
      key === 'GATEWAY_URL'
        ? 'an http(s) URL'
        : key === 'BANK_WEBHOOK_SECRET'
          ? 'at least 16 characters'
          : 'true or false';
    throw new UsageError(`${source}: must be ${what}`);
  }

  const positional = args.positionals[0];
  const payload = positional === '-' ? (await io.readStdin()).trim() : positional;
  const prepared = preparePayment(
    { payload, amount, payerName, payerAccount, mangle: args.flags.has('mangle') },
    { cardTransfers: config.data.BANK_SIM_CARD_TRANSFERS },
  );
  if (!prepared.ok) {
    const { error } = prepared;
    const details = (error.details ?? []).map((d) => `\n  ${d.code}: ${d.message}`).join('');
    io.stderr(
      `cashless: the bank refuses this QR (${error.code}): ${error.reason.en} / ${error.reason.vi}${details}\n`,
    );
    return 1;
  }

  const http = deps.send === undefined ? createHttpSender() : undefined;
  let deliveries: Delivery[];
  try {
    deliveries = await deliverNotification(
      prepared.payment.notification,
      { gatewayUrl: config.data.GATEWAY_URL, secret: config.data.BANK_WEBHOOK_SECRET, send: deps.send ?? http!.send },
      { duplicates, retry: DEFAULT_RETRY, sleep: deps.sleep },
    );
  } finally {
    http?.close();
  }
  io.stdout(`${JSON.stringify({ ...prepared.payment, deliveries }, null, 2)}\n`);
  const refused = deliveries.filter((d) => !isAccepted(d));
  if (refused.length === 0) return 0;
  io.stderr(`cashless: the platform did not accept the notification: ${describe(refused[0])}\n`);
  return 1;
}
