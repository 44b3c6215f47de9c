import { describe, expect, it } from '@jest/globals';
import { MAX_CHANNEL_PAYLOAD_BYTES, channelPayload, parseChannelMessage } from './notice-channel';
import type { PaymentNotice } from './payment-notice';

const notice = (payerName: string): PaymentNotice => ({
  paymentId: '0190f3b4-0000-7000-8000-000000000001',
  merchantId: '0190f3b4-0000-7000-8000-000000000002',
  amount: 50_000,
  channel: 'static_qr',
  outcome: 'static',
  intentId: null,
  intentStatus: null,
  expectedAmount: null,
  orderRef: null,
  paymentCode: null,
  payerName,
  transferredAt: '2026-12-01T03:00:00.000Z',
  recordedAt: '2026-12-01T03:00:01.000Z',
  announcement: 'Đã nhận 50.000 đồng',
  announcementEn: 'Received 50,000 VND',
});

describe('live feed NOTIFY payload', () => {
  it('carries the whole notice when it fits', () => {
    const payload = channelPayload('m-1', 7n, notice('NGUYEN VAN A'));
    expect(parseChannelMessage(payload)).toEqual({ merchantId: 'm-1', seq: 7n, notice: notice('NGUYEN VAN A') });
  });

  it('stays under the 8,000-byte NOTIFY limit by sending only the id of a notice that does not fit', () => {
    const payload = channelPayload('m-1', 8n, notice('Ư'.repeat(4_000)));
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_CHANNEL_PAYLOAD_BYTES);
    expect(parseChannelMessage(payload)).toEqual({ merchantId: 'm-1', seq: 8n });
  });

  it('ignores malformed payloads', () => {
    for (const bad of ['', 'not json', '{}', '{"merchantId":"m","seq":7}', '{"merchantId":"m","seq":"x"}', 'null']) {
      expect(parseChannelMessage(bad)).toBeUndefined();
    }
  });
});
