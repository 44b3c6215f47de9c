import { describe, expect, it } from '@jest/globals';
import { parseLastEventId, sseComment, sseEvent, sseRetry } from './sse';

describe('Server-Sent Events framing', () => {
  it('writes id, event and one JSON data line, ended by an empty line', () => {
    expect(sseEvent({ id: '42', event: 'payment', data: { amount: 50_000, text: 'Đã nhận\n50.000 đồng' } })).toBe(
      'id: 42\nevent: payment\ndata: {"amount":50000,"text":"Đã nhận\\n50.000 đồng"}\n\n',
    );
  });

  it('keeps newlines out of id and event lines', () => {
    expect(sseEvent({ id: '4\n2', event: 'pay\r\nment', data: 1 })).toBe('id: 42\nevent: payment\ndata: 1\n\n');
  });

  it('writes comments and the reconnection delay', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
  });

  it('reads Last-Event-ID as a positive integer, ignoring anything else', () => {
    expect(parseLastEventId('17')).toBe(17n);
    expect(parseLastEventId(' 9223372036854775807 ')).toBe(9_223_372_036_854_775_807n);
    for (const bad of [undefined, '', '0', '-1', '1.5', 'abc', '99999999999999999999', ['1']]) {
      expect(parseLastEventId(bad)).toBeUndefined();
    }
  });
});
