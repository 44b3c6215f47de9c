/** Server-Sent Events wire format (WHATWG HTML §9.2): fields, one per line, an empty line ends an event. */

export interface SseEvent {
  id?: string;
  event?: string;
  /** Serialised as JSON on one line (JSON never needs a raw newline). */
  data: unknown;
}

/** Lines of `id`/`event` must not break the framing: newlines are dropped. */
const oneLine = (value: string) => value.replace(/[\r\n]/g, '');

export function sseEvent(event: SseEvent): string {
  let text = '';
  if (event.id !== undefined) text += `id: ${oneLine(event.id)}\n`;
  if (event.event !== undefined) text += `event: ${oneLine(event.event)}\n`;
  return `${text}data: ${JSON.stringify(event.data)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies and load balancers from closing an idle stream. */
export function sseComment(text: string): string {
  return `: ${oneLine(text)}\n\n`;
}

/** How long EventSource waits before reconnecting after the stream drops. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}

/**
 * The feed's event id from `Last-Event-ID` (or `?lastEventId=`): a positive integer, else
 * undefined (nothing to resume from; the stream starts with new payments).
 */
export function parseLastEventId(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value.trim())) return undefined;
  const id = BigInt(value.trim());
  return id > 0n && id <= 9_223_372_036_854_775_807n ? id : undefined;
}
