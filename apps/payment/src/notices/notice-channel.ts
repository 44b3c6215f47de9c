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

/** The NOTIFY payload: the whole notice when it fits (no read-back), else only where to find it. */
export function channelPayload(merchantId: string, seq: bigint, notice: PaymentNotice): string {
  const full = JSON.stringify({ merchantId, seq: String(seq), notice });
  if (Buffer.byteLength(full) <= MAX_CHANNEL_PAYLOAD_BYTES) return full;
  return JSON.stringify({ merchantId, seq: String(seq) });
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
