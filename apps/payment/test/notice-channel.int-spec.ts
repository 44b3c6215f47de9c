import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { MAX_CHANNEL_PAYLOAD_BYTES, channelPayloadSql, parseChannelMessage } from '../src/notices/notice-channel';
import type { PaymentNotice } from '../src/notices/payment-notice';

// The NOTIFY payload is built by SQL in the recording statement; this checks what PostgreSQL makes of it.
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

describe('live feed NOTIFY payload built by SQL', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  const payloadFor = async (seq: bigint, n: PaymentNotice): Promise<string> => {
    const { rows } = await client.query<{ payload: string }>(
      `SELECT ${channelPayloadSql('$1::text', '$2::bigint', '$3::json')} AS payload`,
      ['m-1', String(seq), JSON.stringify(n)],
    );
    return rows[0].payload;
  };

  it('carries the whole notice when it fits', async () => {
    const payload = await payloadFor(7n, notice('NGUYEN VAN A'));
    expect(parseChannelMessage(payload)).toEqual({ merchantId: 'm-1', seq: 7n, notice: notice('NGUYEN VAN A') });
  });

  it('stays under the 8,000-byte NOTIFY limit by sending only the id of a notice that does not fit', async () => {
    const payload = await payloadFor(8n, notice('Ư'.repeat(4_000)));
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_CHANNEL_PAYLOAD_BYTES);
    expect(parseChannelMessage(payload)).toEqual({ merchantId: 'm-1', seq: 8n });
  });
});
