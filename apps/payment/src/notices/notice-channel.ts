import type { PaymentNotice } from './payment-notice';

/** The PostgreSQL NOTIFY channel that tells every instance a payment was recorded (sent on commit only). */
export const NOTICE_CHANNEL = 'payment_recorded';

/** NOTIFY payloads must stay under 8,000 bytes; a larger notice travels as its id and is read back. */
export const MAX_CHANNEL_PAYLOAD_BYTES = 7_900;

export interface ChannelMessage {
  merchantId: string;
  seq: bigint;
  notice?: PaymentNotice;
}

/**
 * The NOTIFY payload, built by SQL in the statement that draws the notice's sequence number
 * (`merchant`, `seq`, `notice` are SQL expressions: text, bigint, json): the whole notice when it
 * fits (no read-back), else only where to find it.
 */
export function channelPayloadSql(merchant: string, seq: string, notice: string): string {
  const full = `json_build_object('merchantId', ${merchant}, 'seq', (${seq})::text, 'notice', ${notice})::text`;
  const short = `json_build_object('merchantId', ${merchant}, 'seq', (${seq})::text)::text`;
  return `CASE WHEN octet_length(${full}) <= ${MAX_CHANNEL_PAYLOAD_BYTES} THEN ${full} ELSE ${short} END`;
}

export function parseChannelMessage(payload: string): ChannelMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const { merchantId, seq, notice } = (value ?? {}) as { merchantId?: unknown; seq?: unknown; notice?: unknown };
  if (typeof merchantId !== 'string' || typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) return undefined;
  const message: ChannelMessage = { merchantId, seq: BigInt(seq) };
  if (notice !== null && typeof notice === 'object') message.notice = notice as PaymentNotice;
  return message;
}
