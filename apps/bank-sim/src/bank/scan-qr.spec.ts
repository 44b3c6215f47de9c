import { describe, expect, it } from '@jest/globals';
import { crc16Hex, encodeVietQr } from '@cashless/vietqr';
import { loadVectors } from '../../../../libs/vietqr/test/vectors';
import { BOARD_QR, CHECKOUT_CONTENT, CHECKOUT_QR } from '../../test/qr-fixtures';
import { scanQr, type ScanErrorCode } from './scan-qr';

const { vectors } = loadVectors();
const positive = vectors.filter((v) => v.expected.isVietQR);
const negative = vectors.filter((v) => !v.expected.isVietQR);

/** A payload with its body edited and the CRC recomputed, so only the edit is wrong. */
function withCrc(body: string): string {
  const head = `${body}6304`;
  return head + crc16Hex(head);
}

function tlv(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

function errorCode(payload: string, options?: Parameters<typeof scanQr>[1]): ScanErrorCode | null {
  const result = scanQr(payload, options);
  return result.ok ? null : result.error.code;
}

describe('scanQr on the public VietQR vectors', () => {
  it.each(positive.map((v) => [v.id, v] as const))('%s is paid as a bank app would', (_id, v) => {
    const e = v.expected;
    const hasAmount = e.amount !== null && e.amount !== undefined && e.amount !== '0';
    const without = scanQr(v.payload);
    if (!hasAmount) {
      // No amount in the QR: the app asks for one, whatever 01 says.
      expect(without).toMatchObject({
        ok: false,
        error: { code: e.initiationMethod === '12' ? 'dynamic_amount_missing' : 'amount_required' },
      });
    }
    const result = hasAmount ? without : scanQr(v.payload, { amount: 25_000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.transfer).toMatchObject({
      bankBin: e.bankBin,
      accountNumber: e.account,
      service: e.kind,
      initiation: e.initiationMethod === '12' ? 'dynamic' : 'static',
      amount: hasAmount ? Number(e.amount) : 25_000,
      qrAmount: hasAmount ? Number(e.amount) : null,
      amountOverridden: false,
      qrContent: e.purpose ?? e.billNumber ?? e.referenceLabel ?? null,
    });
  });

  it.each(negative.map((v) => [v.id, v] as const))('%s is refused', (_id, v) => {
    const code = errorCode(v.payload, { amount: 10_000 });
    expect(code).not.toBeNull();
    if (!v.verified) expect(code).toBe('qr_crc_invalid');
    else if (v.expected.guid !== undefined) expect(code).toBe('qr_not_vietqr');
  });

  it('refuses card transfers only when the bank does not support them', () => {
    const card = positive.find((v) => v.expected.kind === 'card' && v.expected.amount);
    expect(card).toBeDefined();
    expect(scanQr(card!.payload).ok).toBe(true);
    expect(errorCode(card!.payload, { cardTransfers: false })).toBe('card_transfer_unsupported');
  });
});

describe('scanQr refusals', () => {
  it('refuses a payload whose CRC does not match, with the decoder finding', () => {
    const damaged = `${CHECKOUT_QR.slice(0, -4)}${CHECKOUT_QR.slice(-4) === '0000' ? '0001' : '0000'}`;
    const result = scanQr(damaged);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'qr_crc_invalid',
        reason: { vi: expect.stringContaining('CRC'), en: expect.stringContaining('CRC') },
        details: [{ code: 'CRC_MISMATCH' }],
      },
    });
  });

  it('refuses a BIN missing from the bank directory', () => {
    const unknown = withCrc(CHECKOUT_QR.slice(0, -8).replace('0006970436', '0006970499'));
    expect(errorCode(unknown)).toBe('bank_unknown');
  });

  it('refuses a dynamic QR without amount unless one is given', () => {
    const noAmount = withCrc(CHECKOUT_QR.slice(0, -8).replace('540550000', ''));
    expect(errorCode(noAmount)).toBe('dynamic_amount_missing');
    expect(scanQr(noAmount, { amount: 30_000 })).toMatchObject({
      ok: true,
      transfer: { amount: 30_000, qrAmount: null, initiation: 'dynamic', amountOverridden: false },
    });
  });

  it('needs an amount for a static QR and takes the one typed', () => {
    expect(errorCode(BOARD_QR)).toBe('amount_required');
    const result = scanQr(BOARD_QR, { amount: 45_000 });
    expect(result).toMatchObject({ ok: true, transfer: { amount: 45_000, initiation: 'static', qrContent: null } });
  });

  it("keeps a dynamic QR's amount, and flags a sandbox override", () => {
    expect(scanQr(CHECKOUT_QR)).toMatchObject({
      ok: true,
      transfer: { amount: 50_000, qrAmount: 50_000, amountOverridden: false, qrContent: CHECKOUT_CONTENT },
    });
    expect(scanQr(CHECKOUT_QR, { amount: 50_000 })).toMatchObject({ ok: true, transfer: { amountOverridden: false } });
    expect(scanQr(CHECKOUT_QR, { amount: 40_000 })).toMatchObject({
      ok: true,
      transfer: { amount: 40_000, qrAmount: 50_000, amountOverridden: true },
    });
  });

  it('refuses amounts that are not whole đồng in range', () => {
    for (const amount of [0, -5, 1.5, 500_000_000, Number.NaN]) {
      expect(errorCode(BOARD_QR, { amount })).toBe('amount_invalid');
    }
    const huge = withCrc(CHECKOUT_QR.slice(0, -8).replace('540550000', '5409500000000'));
    expect(errorCode(huge)).toBe('amount_above_limit');
  });

  it('refuses malformed text, VietQRs that are not transfers and odd accounts', () => {
    expect(errorCode('hello')).toBe('qr_malformed');
    expect(errorCode('')).toBe('qr_malformed');
    const napas = tlv('00', 'A000000727') + tlv('01', tlv('00', '970422') + tlv('01', '0023457923442'));
    const push = withCrc(`000201010211${tlv('38', napas + tlv('02', 'QRPUSH'))}53037045802VN`);
    expect(errorCode(push, { amount: 1000 })).toBe('qr_not_transfer');
    const dashed = encodeVietQr({ bankBin: '970422', account: 'AB12' }).slice(0, -8);
    expect(errorCode(withCrc(dashed.replace('0104AB12', '0104AB-2')), { amount: 1000 })).toBe('account_unsupported');
  });

  it('gives every reason in Vietnamese and English', () => {
    const result = scanQr('hello');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.reason.vi).toMatch(/[ãàáạảăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i);
    expect(result.error.reason.en).toMatch(/^[\x20-\x7e]+$/);
  });
});
