import {
  decodeVietQr,
  encodeVietQr,
  renderPng,
  renderSvg,
  resolveBank,
  searchBanks,
  toVietQrReport,
  VietQrInputError,
  type Bank,
  type VietQrInput,
} from '@cashless/vietqr';
import { runAnalytics } from './analytics';
import { parseArgs, UsageError } from './args';
import { runDemo } from './demo';
import { runLedger } from './ledger';
import { runPay } from './pay';

/** Where the command line reads and writes; tests pass fakes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  readStdin(): Promise<string>;
}

export const USAGE = `Usage:
  cashless vietqr decode <payload|->
      Decode a payload ("-" reads it from stdin). Prints one JSON object; exit 0 when it is a
      valid VietQR, 1 otherwise.
  cashless vietqr encode --bin <BIN|bank code> --account <number> [--card] [--amount N]
      [--code CODE] [--purpose TEXT] [--bill TEXT] [--name TEXT] [--city TEXT]
      [--png FILE] [--svg FILE]
      Print a VietQR transfer payload (static without --amount, dynamic with it) and write
      the images. --code puts a payment code (A–Z, 0–9, ≤ 19) first in the transfer content.
  cashless banks [query] [--json]
      List the bank directory, or the banks whose BIN, code or name contains the query.
  cashless pay <payload|-> [--amount N] [--payer-name NAME] [--payer-account N]
      [--duplicates N] [--mangle] [--gateway URL] [--secret S]
      Pay a VietQR through the sandbox bank: scan it like a bank app (a static QR needs
      --amount; on a QR with an amount, --amount overrides it to test under- and
      overpayment), then send the signed bank notification (1 + --duplicates times) to
      <gateway>/api/v1/bank-notifications/generic. --mangle rewrites the content the way
      some banks do. Defaults: GATEWAY_URL, BANK_WEBHOOK_SECRET or the development ones.
      Prints the notification and the platform's answers as JSON.
  cashless ledger verify [--database-url URL] [--json]
      Check the ledger journal's hash chains: "ok" with the count checked, or the first broken link.
  cashless analytics rebuild [--database-url URL] [--late-seconds N] [--json]
      Recompute the analytics projections from the stored facts (see cashless analytics help).
  cashless demo history [--months N] [--merchants N] [--sink database|kafka] ...
      Generate a synthetic payment history for the city dashboard (see cashless demo help).

Exit codes: 0 done (pay: accepted, duplicates included), 1 not a valid VietQR / no bank
found / a file could not be written / QR refused or not accepted by the platform,
2 bad arguments.`;

/** Which command-line option feeds each builder field, to name it in error messages. */
const OPTION_OF: Partial<Record<keyof VietQrInput, string>> = {
  bankBin: '--bin',
  account: '--account',
  service: '--card',
  amount: '--amount',
  initiation: '--amount',
  paymentCode: '--code',
  purpose: '--purpose',
  billNumber: '--bill',
  merchantName: '--name',
  merchantCity: '--city',
};

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined)
      throw new UsageError('a command is needed (vietqr decode, vietqr encode, banks); see cashless --help');
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (command === 'banks') return banks(rest, io);
    if (command === 'pay') return await runPay(rest, io);
    if (command === 'ledger') return await runLedger(rest, io);
    if (command === 'analytics') return await runAnalytics(rest, io);
    if (command === 'demo') return await runDemo(rest, io);
    if (command === 'vietqr') {
      const [sub, ...args] = rest;
      if (sub === 'decode') return await decode(args, io);
      if (sub === 'encode') return await encode(args, io);
      throw new UsageError(
        sub === undefined ? 'vietqr needs decode or encode' : `unknown vietqr command "${sub}" (decode or encode)`,
      );
    }
    throw new UsageError(`unknown command "${command}"; see cashless --help`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cashless: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function decode(argv: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs(argv, { values: [], flags: [] });
  if (positionals.length === 0) throw new UsageError('vietqr decode needs a payload (or "-" to read stdin)');
  if (positionals.length > 1) {
    throw new UsageError(`vietqr decode takes one payload, got ${positionals.length} arguments; quote the payload`);
  }
  const payload = positionals[0] === '-' ? await io.readStdin() : positionals[0];
  const result = decodeVietQr(payload);
  io.stdout(`${JSON.stringify(toVietQrReport(result), null, 2)}\n`);
  return result.vietqr ? 0 : 1;
}

const DIGITS = /^\d+$/;

async function encode(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    values: ['bin', 'account', 'amount', 'code', 'purpose', 'bill', 'name', 'city', 'png', 'svg'],
    flags: ['card'],
  });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const bankQuery = args.values.get('bin');
  const account = args.values.get('account');
  if (bankQuery === undefined) throw new UsageError('vietqr encode needs --bin <BIN|bank code>');
  if (account === undefined) throw new UsageError('vietqr encode needs --account <number>');
  const bank = resolveBank(bankQuery);
  if (bank === undefined) {
    throw new UsageError(`--bin: no bank with BIN, code or short name "${bankQuery}" (see cashless banks)`);
  }
  const amountText = args.values.get('amount');
  if (amountText !== undefined && !DIGITS.test(amountText)) {
    throw new UsageError(`--amount: whole đồng in digits only, e.g. 50000; got "${amountText}"`);
  }
  const input: VietQrInput = {
    bankBin: bank.bin,
    account,
    service: args.flags.has('card') ? 'card' : 'account',
    amount: amountText === undefined ? undefined : BigInt(amountText),
    paymentCode: args.values.get('code'),
    purpose: args.values.get('purpose'),
    billNumber: args.values.get('bill'),
    merchantName: args.values.get('name'),
    merchantCity: args.values.get('city'),
  };
  let payload: string;
  try {
    payload = encodeVietQr(input);
  } catch (error) {
    if (error instanceof VietQrInputError)
      throw new UsageError(`${OPTION_OF[error.field] ?? error.field}: ${error.message}`);
    throw error;
  }
  io.stdout(`${payload}\n`);
  const png = args.values.get('png');
  const svg = args.values.get('svg');
  try {
    if (png !== undefined) await io.writeFile(png, await renderPng(payload));
    if (svg !== undefined) await io.writeFile(svg, await renderSvg(payload));
  } catch (error) {
    io.stderr(`cashless: could not write the image: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return 0;
}

function yesNo(value: boolean | null): string {
  return value === null ? '?' : value ? 'yes' : 'no';
}

function banks(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv, { values: [], flags: ['json'] });
  const query = args.positionals.join(' ');
  const found: Bank[] = searchBanks(query);
  if (found.length === 0) {
    io.stderr(`cashless: no bank matches "${query}"\n`);
    return 1;
  }
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify(found, null, 2)}\n`);
    return 0;
  }
  const rows = [
    ['BIN', 'CODE', 'SHORT NAME', 'VIETQR', 'NAME'],
    ...found.map((b) => [b.bin, b.code ?? '-', b.shortName ?? '-', yesNo(b.napasTransferSupported), b.name]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  io.stdout(`${rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell)).join('  ')).join('\n')}\n`);
  return 0;
}
