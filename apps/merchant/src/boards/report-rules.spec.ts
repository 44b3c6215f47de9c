import { describe, expect, it } from '@jest/globals';
import { clientIp, decideRateLimit } from './report-rules';

describe('fraud report rate limits', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const limits = { perIpPerHour: 5, perBoardPerHour: 30, windowSeconds: 3600 };

  it('lets reports through below both limits', () => {
    expect(decideRateLimit({ ip: 4, board: 29, oldestIp: now, oldestBoard: now }, now, limits)).toEqual({ ok: true });
  });

  it('stops a client at 5 an hour, telling it when the oldest report leaves the window', () => {
    const oldest = new Date(now.getTime() - 3000 * 1000);
    expect(decideRateLimit({ ip: 5, board: 5, oldestIp: oldest, oldestBoard: oldest }, now, limits)).toEqual({
      ok: false,
      scope: 'ip',
      retryAfterSeconds: 600,
    });
  });

  it('stops reports on one board at 30 an hour from everyone', () => {
    expect(decideRateLimit({ ip: 0, board: 30, oldestIp: null, oldestBoard: now }, now, limits)).toMatchObject({
      ok: false,
      scope: 'board',
      retryAfterSeconds: 3600,
    });
  });
});

describe('client address behind the gateway', () => {
  it('takes the last X-Forwarded-For entry (the one the gateway appended), not what the client claims', () => {
    expect(clientIp('6.6.6.6, 203.0.113.7', '127.0.0.1')).toBe('203.0.113.7');
    expect(clientIp(['1.1.1.1', '203.0.113.8'], '127.0.0.1')).toBe('203.0.113.8');
  });

  it('falls back to the peer address', () => {
    expect(clientIp(undefined, '198.51.100.2')).toBe('198.51.100.2');
    expect(clientIp(' , ', '198.51.100.2')).toBe('198.51.100.2');
    expect(clientIp(undefined, undefined)).toBe('unknown');
  });
});
