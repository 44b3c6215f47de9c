/**
 * Fraud reports from the public (pure rules; the service counts in PostgreSQL).
 *
 * Rate limits, over a sliding hour, counted from the stored reports so every replica sees the
 * same numbers: 5 reports per client IP (any board), 30 per board (all clients). A flood on one
 * board past 30 an hour already tells the officers what they need to know.
 */
export const REPORT_REASONS = ['qr_swapped', 'name_mismatch', 'board_damaged', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_LIMITS = { perIpPerHour: 5, perBoardPerHour: 30, windowSeconds: 3600 } as const;

export type RateLimitDecision = { ok: true } | { ok: false; scope: 'ip' | 'board'; retryAfterSeconds: number };

/**
 * `recent*` are the reports already stored in the window; `oldest*` the time of the oldest of
 * them (when the next slot frees up).
 */
export function decideRateLimit(
  counts: { ip: number; board: number; oldestIp: Date | null; oldestBoard: Date | null },
  now: Date,
  limits: { perIpPerHour: number; perBoardPerHour: number; windowSeconds: number } = REPORT_LIMITS,
): RateLimitDecision {
  const retry = (oldest: Date | null) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + limits.windowSeconds * 1000 - now.getTime()) / 1000));
  if (counts.ip >= limits.perIpPerHour) return { ok: false, scope: 'ip', retryAfterSeconds: retry(counts.oldestIp) };
  if (counts.board >= limits.perBoardPerHour) {
    return { ok: false, scope: 'board', retryAfterSeconds: retry(counts.oldestBoard) };
  }
  return { ok: true };
}

/**
 * The client's address as the gateway saw it. The gateway appends the peer it accepted the
 * connection from to `X-Forwarded-For`, so the last entry is the one it vouches for; earlier
 * entries are whatever the client sent and can be forged. Services are reachable only through
 * the gateway (their ports are internal), so without the header the peer address is the client.
 */
export function clientIp(forwardedFor: string | string[] | undefined, peer: string | undefined): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return (last ?? peer ?? 'unknown').slice(0, 64);
}
