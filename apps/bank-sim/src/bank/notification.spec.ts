import { describe, expect, it } from '@jest/globals';
import { canonicalBankNotificationSchema } from '@cashless/contracts';
import { matchPaymentCode } from '@cashless/vietqr';
import { BOARD_QR, CHECKOUT_CONTENT, CHECKOUT_QR, PAYMENT_CODE } from '../../test/qr-fixtures';
import { MANGLE_STYLES, mangleContent, TRUNCATED_LENGTH } from './mangle';
import { bankReference, buildNotification, vietnamTime } from './notification';
import { scanQr, type ScannedTransfer } from './scan-qr';

function scanned(payload: string, amount?: number): ScannedTransfer {
  const result = scanQr(payload, { amount });
  if (!result.ok) throw new Error(result.error.reason.en);
  return result.transfer;
}

/** A repeatable source of "random" numbers. */
function seeded(seed = 1): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

const NOW = new Date('2025-12-01T07:03:05.123Z');

describe('buildNotification', () => {
  it('builds the canonical notification a feed sends for the transfer', () => {
    const notification = buildNotification(
      scanned(CHECKOUT_QR),
      { name: 'Trần Thị Bích', account: '1903555000' },
      { now: NOW, random: seeded() },
    );
    expect(canonicalBankNotificationSchema.safeParse(notification).success).toBe(true);
    expect(notification).toEqual({
      id: expect.stringMatching(/^SIM[0-9A-F]{32}$/),
      bankBin: '970436',
      accountNumber: '0011001932418',
      amount: 50_000,
      content: CHECKOUT_CONTENT,
      transferredAt: '2025-12-01T14:03:05.123+07:00',
      payerName: 'TRAN THI BICH',
      payerAccount: '1903555000',
      reference: expect.stringMatching(/^FT25335[0-9A-Z]{7}$/),
    });
  });

  it('gives each transfer its own id, in time order', () => {
    const transfer = scanned(CHECKOUT_QR);
    const ids = Array.from({ length: 50 }, () => buildNotification(transfer).id);
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids);
  });

  it("fills in the bank app's default content when the QR has none", () => {
    const notification = buildNotification(scanned(BOARD_QR, 20_000), { name: 'Lê Văn Tám' });
    expect(notification.content).toBe('Thanh toan LE VAN TAM');
    expect(buildNotification(scanned(BOARD_QR, 20_000)).content).toBe('Thanh toan NGUYEN VAN A');
    expect(canonicalBankNotificationSchema.safeParse(notification).success).toBe(true);
  });

  it('leaves the content as the QR has it unless mangling is asked for', () => {
    const transfer = scanned(CHECKOUT_QR);
    expect(buildNotification(transfer, {}, { mangle: false }).content).toBe(CHECKOUT_CONTENT);
    const vcb = buildNotification(transfer, { account: '1903555000' }, { mangle: 'vcb', random: seeded(7) });
    expect(vcb.content).toMatch(new RegExp(`^MBVCB\\.\\d{10}\\.${PAYMENT_CODE} PHO BO\\.CT tu 1903555000$`));
    const picked = buildNotification(transfer, {}, { mangle: true, random: seeded(3) });
    expect(picked.content).not.toBe(CHECKOUT_CONTENT);
    expect(matchPaymentCode(picked.content, PAYMENT_CODE)).not.toBeNull();
  });

  it('writes Vietnam local time and a core-banking reference', () => {
    expect(vietnamTime(new Date('2025-12-31T20:00:00.000Z'))).toBe('2026-01-01T03:00:00.000+07:00');
    expect(bankReference(new Date('2025-12-31T20:00:00.000Z'), () => 0)).toBe('FT26001' + '0000000');
    expect(bankReference(new Date('2025-02-01T00:00:00.000Z'), () => 0.999)).toBe('FT25032ZZZZZZZ');
  });
});

describe('mangleContent', () => {
  const context = { sequence: '3278907687', reference: 'FT25335A1B2C3D', payerAccount: '0123456789' };
  const content = `${PAYMENT_CODE} Phở bò, tái!`;

  it('rewrites content the ways bank feeds do', () => {
    expect(mangleContent(content, 'upper', context)).toBe(`${PAYMENT_CODE} PHO BO TAI`);
    expect(mangleContent(content, 'vcb', context)).toBe(`MBVCB.3278907687.${PAYMENT_CODE} PHO BO TAI.CT tu 0123456789`);
    expect(mangleContent(content, 'ibft', context)).toBe(`IBFT ${PAYMENT_CODE} PHO BO TAI FT25335A1B2C3D`);
    expect(mangleContent(content, 'compact', context)).toBe(`${PAYMENT_CODE}PHOBOTAI`);
    expect(mangleContent(content, 'truncate', context)).toBe(`${PAYMENT_CODE} PHO BO TA`);
    const cut = mangleContent('Chuyển tiền mua rau muống và đậu phụ', 'truncate', context);
    expect(cut).toBe('CHUYEN TIEN MUA RAU');
    expect(cut.length).toBeLessThanOrEqual(TRUNCATED_LENGTH);
  });

  it.each(MANGLE_STYLES.map((s) => [s]))('keeps a leading payment code findable (%s)', (style) => {
    expect(matchPaymentCode(mangleContent(content, style, context), PAYMENT_CODE)).not.toBeNull();
  });
});
