import type { PaymentNotice } from './payment-notice';

/** The PostgreSQL NOTIFY channel that tells every instance payments were recorded (sent after commit). */
export const NOTICE_CHANNEL = 'payment_recorded';

/** NOTIFY payloads must stay under 8,000 bytes; a notice too large travels as its id and is read back. */
export const MAX_CHANNEL_PAYLOAD_BYTES = 7_900;

export interface ChannelMessage {
  merchantId: string;
  seq: bigint;
  notice?: PaymentNotice;
}

interface WireMessage {
  merchantId: string;
  seq: string;
  notice?: PaymentNotice;
}

/**
 * The NOTIFY payloads for `messages`, in order: JSON arrays packed up to the size limit, each
 * message with its whole notice when that fits (no read-back), else only where to find it.
 */
export function channelPayloads(messages: readonly ChannelMessage[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let bytes = 2; // the brackets
  for (const m of messages) {
    const full = JSON.stringify({
      merchantId: m.merchantId,
      seq: String(m.seq),
      notice: m.notice,
    } satisfies WireMessage);
    const item =
      Buffer.byteLength(full) + 2 <= MAX_CHANNEL_PAYLOAD_BYTES
        ? full
        : JSON.stringify({ merchantId: m.merchantId, seq: String(m.seq) } satisfies WireMessage);
    const size = Buffer.byteLength(item) + 1;
    if (batch.length > 0 && bytes + size > MAX_CHANNEL_PAYLOAD_BYTES) {
      payloads.push(`[${batch.join(',')}]`);
      batch = [];
      bytes = 2;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) payloads.push(`[${batch.join(',')}]`);
  return payloads;
}

/** The messages of one payload; malformed entries (or a malformed payload) are left out. */
export function parseChannelMessages(payload: string): ChannelMessage[] {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const messages: ChannelMessage[] = [];
  for (const entry of value) {
    const { merchantId, seq, notice } = (entry ?? {}) as { merchantId?: unknown; seq?: unknown; notice?: unknown };
    if (typeof merchantId !== 'string' || typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) continue;
    const message: ChannelMessage = { merchantId, seq: BigInt(seq) };
    if (notice !== null && typeof notice === 'object') message.notice = notice as PaymentNotice;
    messages.push(message);
  }
  return messages;
}
