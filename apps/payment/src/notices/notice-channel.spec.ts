import { describe, expect, it } from '@jest/globals';
import { MAX_CHANNEL_PAYLOAD_BYTES, channelPayloads, parseChannelMessages } from './notice-channel';
import type { ChannelMessage } from './notice-channel';
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

const parseAll = (payloads: string[]) => payloads.flatMap(parseChannelMessages);

describe('live feed NOTIFY payloads', () => {
  it('carries whole notices, several per payload, in order', () => {
    const messages: ChannelMessage[] = [1n, 2n, 3n].map((seq) => ({
      merchantId: `m-${seq}`,
      seq,
      notice: notice(`KHACH ${seq}`),
    }));
    const payloads = channelPayloads(messages);
    expect(payloads).toHaveLength(1);
    expect(parseAll(payloads)).toEqual(messages);
  });

  it('splits a burst across payloads that each stay under the 8,000-byte NOTIFY limit', () => {
    const messages: ChannelMessage[] = Array.from({ length: 200 }, (_, i) => ({
      merchantId: 'm-1',
      seq: BigInt(i + 1),
      notice: notice('NGUYEN VAN A'),
    }));
    const payloads = channelPayloads(messages);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_CHANNEL_PAYLOAD_BYTES);
    expect(parseAll(payloads)).toEqual(messages);
  });

  it('sends only the id of a notice that does not fit', () => {
    const payloads = channelPayloads([{ merchantId: 'm-1', seq: 8n, notice: notice('Ư'.repeat(4_000)) }]);
    expect(Buffer.byteLength(payloads[0])).toBeLessThanOrEqual(MAX_CHANNEL_PAYLOAD_BYTES);
    expect(parseAll(payloads)).toEqual([{ merchantId: 'm-1', seq: 8n }]);
  });

  it('ignores malformed payloads and entries', () => {
    for (const bad of ['', 'not json', '{}', 'null', '{"merchantId":"m","seq":"7"}']) {
      expect(parseChannelMessages(bad)).toEqual([]);
    }
    expect(
      parseChannelMessages('[{"merchantId":"m","seq":7},{"merchantId":"m","seq":"x"},{"merchantId":"m","seq":"9"}]'),
    ).toEqual([{ merchantId: 'm', seq: 9n }]);
  });
});
