/**
 * When a failed webhook delivery is tried again. Early retries come quickly (a receiver that
 * restarts is back within minutes), later ones every 2–4 h, until at least 24 h have passed since
 * the first attempt; then the delivery is `failed` and only a manual redeliver tries again.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay after the 1st, 2nd, … failed attempt; beyond the list, LATE_RETRY_MIN..MAX. */
export const RETRY_DELAYS_MS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR] as const;
export const LATE_RETRY_MIN_MS = 2 * HOUR;
export const LATE_RETRY_MAX_MS = 4 * HOUR;
/** Retries stop once this long has passed since the first attempt. */
export const RETRY_WINDOW_MS = 24 * HOUR;
/** ± share of each early delay, so receivers that fail together are not retried together. */
export const RETRY_JITTER = 0.2;

/**
 * After `attemptsMade` attempts, the last one at `now` and failed: when to try again, or null to
 * give up. `random` returns [0, 1) (injected so tests can pin it).
 */
export function nextRetryAt(
  attemptsMade: number,
  firstAttemptAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | null {
  if (now.getTime() - firstAttemptAt.getTime() >= RETRY_WINDOW_MS) return null;
  const early = RETRY_DELAYS_MS[attemptsMade - 1];
  const delay =
    early !== undefined
      ? early * (1 + RETRY_JITTER * (2 * random() - 1))
      : LATE_RETRY_MIN_MS + random() * (LATE_RETRY_MAX_MS - LATE_RETRY_MIN_MS);
  return new Date(now.getTime() + Math.round(delay));
}

export type DeliveryState = { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/**
 * The state of a delivery after an attempt. A test event is tried once: the merchant is watching
 * the answer, a retry hours later would only confuse.
 */
export function afterAttempt(attempt: {
  succeeded: boolean;
  retries: boolean;
  attemptsMade: number;
  firstAttemptAt: Date;
  now: Date;
  random?: () => number;
}): DeliveryState {
  if (attempt.succeeded) return { status: 'delivered' };
  if (!attempt.retries) return { status: 'failed' };
  const next = nextRetryAt(attempt.attemptsMade, attempt.firstAttemptAt, attempt.now, attempt.random);
  return next ? { status: 'pending', nextAttemptAt: next } : { status: 'failed' };
}
