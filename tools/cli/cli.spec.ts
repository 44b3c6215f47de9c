import { describe, expect, it } from '@jest/globals';
import { decodeVietQr } from '@cashless/vietqr';
import { runCli, type CliIo } from './cli';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  files: Map<string, string | Uint8Array>;
}

async function run(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string | Uint8Array>();
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    writeFile: async (path, data) => {
      if (path.startsWith('/unwritable/')) throw new Error(`EACCES: permission denied, open '${path}'`);
      files.set(path, data);
    },
    readStdin: async () => stdin,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, files };
}

/** Bad arguments: exit 2, exactly one line on stderr, nothing on stdout. */
function expectUsageError(result: Run, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^cashless: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

const NAPAS_6_1_3 =
  '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E';

describe('cashless vietqr decode', () => {
  it('prints the documented JSON object and exits 0 for a valid VietQR', async () => {
    const result = await run(['vietqr', 'decode', NAPAS_6_1_3]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      crcValid: true,
      emvco: true,
      vietqr: true,
      transfer: true,
      errors: [],
      warnings: [],
      fields: {
        initiation: 'dynamic',
        bankBin: '970403',
        bankShortName: 'Sacombank',
        account: '0011012345678',
        service: 'account',
        amount: '180000',
        currency: '704',
        country: 'VN',
        purpose: 'thanh toan don hang',
        billNumber: 'NPS6869',
        referenceLabel: null,
        merchantName: null,
        merchantCity: null,
        mcc: null,
      },
    });
  });

  it('exits 1 with errors for a bad CRC, a non-VietQR EMVCo code and garbage', async () => {
    const badCrc = await run(['vietqr', 'decode', `${NAPAS_6_1_3.slice(0, -4)}2E2F`]);
    expect(badCrc.code).toBe(1);
    expect(JSON.parse(badCrc.stdout)).toMatchObject({
      crcValid: false,
      emvco: false,
      vietqr: false,
      errors: [{ code: 'CRC_MISMATCH' }],
    });
    const promptPay = await run([
      'vietqr',
      'decode',
      '00020101021129370016A000000677010111011300668012345675802TH530376463046197',
    ]);
    expect(promptPay.code).toBe(1);
    expect(JSON.parse(promptPay.stdout)).toMatchObject({
      emvco: true,
      vietqr: false,
      fields: { country: 'TH', bankBin: null },
    });
    const garbage = await run(['vietqr', 'decode', 'hello']);
    expect(garbage.code).toBe(1);
    expect(JSON.parse(garbage.stdout).errors.length).toBeGreaterThan(0);
  });

  it('reads the payload from stdin with "-"', async () => {
    const result = await run(['vietqr', 'decode', '-'], `${NAPAS_6_1_3}\n`);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).warnings).toEqual([{ code: 'PAYLOAD_TRIMMED', message: expect.any(String) }]);
  });

  it('rejects a missing or unquoted payload with one line and exit 2', async () => {
    expectUsageError(await run(['vietqr', 'decode']), /needs a payload/);
    expectUsageError(await run(['vietqr', 'decode', '000201', 'thanh', 'toan']), /one payload, got 3 arguments; quote/);
    expectUsageError(await run(['vietqr', 'decode', NAPAS_6_1_3, '--pretty']), /unknown option --pretty/);
  });
});

describe('cashless vietqr encode', () => {
  it('prints a payload that decodes to what was asked, resolving a bank code', async () => {
    const result = await run([
      'vietqr',
      'encode',
      '--bin',
      'vcb',
      '--account',
      '0011001932418',
      '--amount',
      '50000',
      '--code',
      'CS7K2M9Q',
      '--purpose',
      'Phở bò tái',
      '--bill',
      'HD-0001',
      '--name',
      'Quán Phở Hùng Vương',
      '--city=Đồng Xoài',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const payload = result.stdout.trim();
    expect(result.stdout).toBe(`${payload}\n`);
    const decoded = decodeVietQr(payload);
    expect(decoded).toMatchObject({ vietqr: true, transfer: true, warnings: [] });
    expect(decoded.fields).toMatchObject({
      initiation: 'dynamic',
      bankBin: '970436',
      amount: '50000',
      purpose: 'CS7K2M9Q Pho bo tai',
      billNumber: 'HD-0001',
      merchantName: 'Quan Pho Hung Vuong',
      merchantCity: 'Dong Xoai',
    });
  });

  it('makes a static card QR without amount', async () => {
    const result = await run(['vietqr', 'encode', '--bin', '970403', '--account', '9704031101234567', '--card']);
    expect(result.stdout).toBe(
      '00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52\n',
    );
  });

  it('writes PNG and SVG images', async () => {
    const result = await run([
      'vietqr',
      'encode',
      '--bin',
      'MB',
      '--account',
      '0123456789',
      '--png',
      'board.png',
      '--svg',
      'board.svg',
    ]);
    expect(result.code).toBe(0);
    const png = result.files.get('board.png') as Uint8Array;
    expect(Buffer.from(png).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(String(result.files.get('board.svg'))).toMatch(/^<svg /);
  });

  it('reports an image it cannot write on one line, exit 1', async () => {
    const result = await run([
      'vietqr',
      'encode',
      '--bin',
      'MB',
      '--account',
      '0123456789',
      '--png',
      '/unwritable/x.png',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cashless: could not write the image: EACCES[^\n]*\n$/);
  });

  it.each([
    [['--account', '1'], /needs --bin/],
    [['--bin', 'VCB'], /needs --account/],
    [['--bin', 'NOPE', '--account', '1'], /--bin: no bank with BIN, code or short name "NOPE"/],
    [['--bin', '970499', '--account', '1'], /--bin: no bank/],
    [['--bin', 'VCB', '--account', '1', '--amount', '5e4'], /--amount: whole đồng in digits only/],
    [['--bin', 'VCB', '--account', '1', '--amount', '0'], /--amount: amount must be whole đồng above 0/],
    [['--bin', 'VCB', '--account', '1', '--amount', '500000000'], /--amount: .*below 500,000,000/],
    [['--bin', 'VCB', '--account', '00-11'], /--account: account must be 1–19 letters or digits/],
    [['--bin', 'VCB', '--account', '12AB', '--card'], /--account: card number must be 8–19 digits/],
    [['--bin', 'VCB', '--account', '1', '--code', 'ab-1'], /--code: payment code must be/],
    [['--bin', 'VCB', '--account', '1', '--bill', 'a b'], /--bill: bill number must be/],
    [['--bin', 'VCB', '--account', '1', '--amount'], /--amount needs a value/],
    [['--bin', 'VCB', '--account', '1', '--colour', 'red'], /unknown option --colour/],
    [['--bin', 'VCB', '--bin', 'MB', '--account', '1'], /--bin is given twice/],
    [['--bin', 'VCB', '--account', '1', 'extra'], /unexpected argument "extra"/],
  ])('rejects %j with one line, exit 2', async (args, pattern) => {
    expectUsageError(await run(['vietqr', 'encode', ...args]), pattern);
  });
});

describe('cashless banks', () => {
  it('lists the whole directory as a table', async () => {
    const result = await run(['banks']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(74);
    expect(lines[0]).toMatch(/^BIN\s+CODE\s+SHORT NAME\s+VIETQR\s+NAME$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^970436\s+VCB\s+Vietcombank\s+yes\s+Ngân hàng TMCP Ngoại Thương Việt Nam$/),
    );
  });

  it('filters by BIN, code or name and can print JSON', async () => {
    const byName = await run(['banks', 'ngoai', 'thuong']);
    expect(byName.stdout.trimEnd().split('\n')).toHaveLength(2);
    const json = await run(['banks', 'ICB', '--json']);
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ bin: '970415', code: 'ICB', shortName: 'VietinBank' });
    const none = await run(['banks', 'zzzz']);
    expect(none).toMatchObject({ code: 1, stdout: '', stderr: 'cashless: no bank matches "zzzz"\n' });
  });
});

describe('cashless', () => {
  it('prints help, and rejects unknown commands with exit 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('cashless vietqr decode');
    expectUsageError(await run([]), /a command is needed/);
    expectUsageError(await run(['qr']), /unknown command "qr"/);
    expectUsageError(await run(['vietqr', 'parse']), /unknown vietqr command "parse"/);
    expectUsageError(await run(['vietqr']), /vietqr needs decode or encode/);
  });
});
