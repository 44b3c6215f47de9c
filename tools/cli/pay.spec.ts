import { describe, expect, it } from '@jest/globals';
import { canonicalBankNotificationSchema, verifySignatureHeader } from '@cashless/contracts';
import { BOARD_QR, CHECKOUT_CONTENT, CHECKOUT_QR } from '../../apps/bank-sim/test/qr-fixtures';
import type { Answer, OutgoingRequest } from '../../apps/bank-sim/src/delivery/sender';
import { runCli, type CliIo } from './cli';
import { runPay, type PayDeps } from './pay';

const DEV_SECRET = 'dev-bank-webhook-secret';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  requests: OutgoingRequest[];
}

function io(stdin = ''): CliIo & { out: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    writeFile: async () => undefined,
    readStdin: async () => stdin,
    out: () => ({ stdout, stderr }),
  };
}

/** `cashless pay …` against a fake platform answering from `answers` (an Error: no answer). */
async function pay(argv: string[], answers: (Answer | Error)[] = [], deps: PayDeps = {}, stdin = ''): Promise<Run> {
  const requests: OutgoingRequest[] = [];
  const cli = io(stdin);
  const code = await runPay(argv, cli, {
    env: {},
    sleep: async () => undefined,
    send: async (request) => {
      requests.push(request);
      const answer = answers.shift() ?? { status: 200, body: '{"status":"accepted"}' };
      if (answer instanceof Error) throw answer;
      return answer;
    },
    ...deps,
  });
  return { code, ...cli.out(), requests };
}

/** Usage errors go through the command dispatcher, which turns them into exit 2. */
async function usage(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = io();
  const code = await runCli(['pay', ...argv], cli);
  return { code, ...cli.out() };
}

describe('cashless pay', () => {
  it('sends the signed notification to the development gateway and prints the answer', async () => {
    const result = await pay([CHECKOUT_QR, '--payer-name', 'Trần Thị Bích', '--payer-account', '1903555000']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const printed = JSON.parse(result.stdout);
    expect(canonicalBankNotificationSchema.parse(printed.notification)).toMatchObject({
      bankBin: '970436',
      accountNumber: '0011001932418',
      amount: 50_000,
      content: CHECKOUT_CONTENT,
      payerName: 'TRAN THI BICH',
      payerAccount: '1903555000',
    });
    expect(printed.deliveries).toEqual([
      { status: 200, body: { status: 'accepted' }, attempts: 1, ms: expect.any(Number) },
    ]);
    const [request] = result.requests;
    expect(request.url).toBe('http://127.0.0.1:8080/api/v1/bank-notifications/generic');
    expect(JSON.parse(request.body!)).toEqual(printed.notification);
    expect(verifySignatureHeader(request.headers['x-signature'], request.body!, DEV_SECRET)).toMatchObject({
      ok: true,
    });
  });

  it('takes the gateway and secret from options over the environment', async () => {
    const env = { GATEWAY_URL: 'http://env.test:9000', BANK_WEBHOOK_SECRET: 'environment-secret-1' };
    const fromEnv = await pay([CHECKOUT_QR], [], { env });
    expect(fromEnv.requests[0].url).toBe('http://env.test:9000/api/v1/bank-notifications/generic');
    expect(
      verifySignatureHeader(
        fromEnv.requests[0].headers['x-signature'],
        fromEnv.requests[0].body!,
        env.BANK_WEBHOOK_SECRET,
      ).ok,
    ).toBe(true);
    const fromFlags = await pay(
      [CHECKOUT_QR, '--gateway', 'https://pay.example.vn', '--secret', 'command-line-secret'],
      [],
      { env },
    );
    expect(fromFlags.requests[0].url).toBe('https://pay.example.vn/api/v1/bank-notifications/generic');
    expect(
      verifySignatureHeader(
        fromFlags.requests[0].headers['x-signature'],
        fromFlags.requests[0].body!,
        'command-line-secret',
      ).ok,
    ).toBe(true);
  });

  it('pays a static QR with --amount, and overrides a fixed amount when asked', async () => {
    const board = await pay([BOARD_QR, '--amount', '35000']);
    expect(board.code).toBe(0);
    expect(JSON.parse(board.stdout)).toMatchObject({
      notification: { amount: 35_000, content: 'Thanh toan NGUYEN VAN A' },
      transfer: { initiation: 'static', qrAmount: null, amountOverridden: false },
    });
    const under = await pay([CHECKOUT_QR, '--amount=20000']);
    expect(JSON.parse(under.stdout)).toMatchObject({
      notification: { amount: 20_000 },
      transfer: { qrAmount: 50_000, amountOverridden: true },
    });
  });

  it('sends duplicates with the same id and mangles content on request', async () => {
    const result = await pay([CHECKOUT_QR, '--duplicates', '2', '--mangle']);
    expect(result.code).toBe(0);
    expect(result.requests).toHaveLength(3);
    expect(new Set(result.requests.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(result.requests[0].body!).content).not.toBe(CHECKOUT_CONTENT);
    expect(JSON.parse(result.requests[0].body!).content).toMatch(/CS7K2M9QAB/);
  });

  it('treats a duplicate answer as done', async () => {
    const result = await pay([CHECKOUT_QR], [{ status: 200, body: '{"status":"duplicate"}' }]);
    expect(result.code).toBe(0);
  });

  it('reads the payload from stdin with "-"', async () => {
    const result = await pay(['-', '--amount', '1000'], [], {}, `${BOARD_QR}\n`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests[0].body!).accountNumber).toBe('0023457923442');
  });

  it('exits 1 without sending when the bank refuses the QR', async () => {
    const cases: [string[], RegExp][] = [
      [[`${CHECKOUT_QR.slice(0, -4)}0000`], /qr_crc_invalid.*CRC check failed.*CRC_MISMATCH/s],
      [[BOARD_QR], /\(amount_required\): .*must enter one \/ .*nhập số tiền/],
      [['hello'], /qr_malformed/],
    ];
    for (const [argv, pattern] of cases) {
      const result = await pay(argv);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(pattern);
      expect(result.requests).toHaveLength(0);
    }
  });

  it('exits 1 and says why when the platform does not accept', async () => {
    const refused = await pay([CHECKOUT_QR], [{ status: 401, body: '{"error":{"code":"unauthorized"}}' }]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).deliveries[0].status).toBe(401);
    expect(refused.stderr).toMatch(/did not accept the notification: HTTP 401 \{"error":\{"code":"unauthorized"\}\}/);

    const down = await pay(
      [CHECKOUT_QR],
      [
        new Error('connect ECONNREFUSED'),
        new Error('connect ECONNREFUSED'),
        new Error('connect ECONNREFUSED'),
        new Error('connect ECONNREFUSED'),
      ],
    );
    expect(down.code).toBe(1);
    expect(down.requests).toHaveLength(4);
    expect(down.stderr).toMatch(/no answer \(connect ECONNREFUSED\)/);

    const recovered = await pay([CHECKOUT_QR], [{ status: 503, body: '' }]);
    expect(recovered.code).toBe(0);
    expect(JSON.parse(recovered.stdout).deliveries[0]).toMatchObject({ status: 200, attempts: 2 });
  });

  it('rejects bad arguments with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /pay needs a payload/],
      [[CHECKOUT_QR, 'extra'], /one payload, got 2 arguments; quote/],
      [[CHECKOUT_QR, '--amount', '12.5'], /--amount: a whole number/],
      [[CHECKOUT_QR, '--amount', '500000000'], /--amount: a whole number up to 499,999,999/],
      [[CHECKOUT_QR, '--amount', '0'], /--amount: must be above 0/],
      [[CHECKOUT_QR, '--duplicates', '21'], /--duplicates: a whole number up to 20/],
      [[CHECKOUT_QR, '--payer-account', '12-34'], /--payer-account: 1–40 letters or digits/],
      [[CHECKOUT_QR, '--payer-name', ' '], /--payer-name: 1–200 characters/],
      [[CHECKOUT_QR, '--gateway', 'ftp://x'], /--gateway \(or GATEWAY_URL\): must be an http\(s\) URL/],
      [[CHECKOUT_QR, '--secret', 'short'], /--secret \(or BANK_WEBHOOK_SECRET\): must be at least 16 characters/],
      [[CHECKOUT_QR, '--mangle=yes'], /--mangle takes no value/],
      [[CHECKOUT_QR, '--card'], /unknown option --card/],
    ];
    for (const [argv, pattern] of cases) {
      const result = await usage(argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^cashless: [^\n]+\n$/);
      expect(result.stderr).toMatch(pattern);
    }
  });

  it('is in the usage text', async () => {
    const cli = io();
    expect(await runCli(['--help'], cli)).toBe(0);
    expect(cli.out().stdout).toMatch(/cashless pay <payload\|-> \[--amount N\]/);
  });
});
