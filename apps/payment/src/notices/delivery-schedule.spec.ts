import { describe, expect, it } from '@jest/globals';
import {
  LATE_RETRY_MAX_MS,
  LATE_RETRY_MIN_MS,
  RETRY_DELAYS_MS,
  RETRY_JITTER,
  RETRY_WINDOW_MS,
  afterAttempt,
  nextRetryAt,
} from './delivery-schedule';

const HOUR = 3_600_000;
const start = new Date('2026-12-01T00:00:00Z');

/** Every attempt fails: the times of all attempts until the schedule gives up. */
function failingAttempts(random: () => number): Date[] {
  const attempts = [start];
  for (;;) {
    const last = attempts[attempts.length - 1];
    const next = nextRetryAt(attempts.length, start, last, random);
    if (!next) return attempts;
    attempts.push(next);
    if (attempts.length > 100) throw new Error('the schedule never gives up');
  }
}

describe('webhook retry schedule', () => {
  it('starts with quick retries: about 10 s, 30 s, 1 min, 5 min, 15 min, 1 h', () => {
    const attempts = failingAttempts(() => 0.5);
    const gaps = attempts.slice(1, 7).map((at, i) => at.getTime() - attempts[i].getTime());
    expect(gaps).toEqual([...RETRY_DELAYS_MS]);
  });

  it('then tries every 2 to 4 hours', () => {
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const attempts = failingAttempts(random);
      const late = attempts.slice(7).map((at, i) => at.getTime() - attempts[i + 6].getTime());
      expect(late.length).toBeGreaterThan(0);
      for (const gap of late) {
        expect(gap).toBeGreaterThanOrEqual(LATE_RETRY_MIN_MS);
        expect(gap).toBeLessThanOrEqual(LATE_RETRY_MAX_MS);
      }
    }
  });

  it('keeps trying for at least 24 h after the first attempt, and stops within one more late gap', () => {
    for (const random of [() => 0, () => 0.5, () => 0.999, Math.random]) {
      const attempts = failingAttempts(random);
      const span = attempts[attempts.length - 1].getTime() - start.getTime();
      expect(span).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
      expect(span).toBeLessThan(RETRY_WINDOW_MS + LATE_RETRY_MAX_MS);
      expect(attempts.length).toBeGreaterThanOrEqual(12);
      expect(attempts.length).toBeLessThanOrEqual(20);
    }
  });

  it('jitters early retries by at most ±20 %', () => {
    const low = nextRetryAt(1, start, start, () => 0)!.getTime() - start.getTime();
    const high = nextRetryAt(1, start, start, () => 0.999_999)!.getTime() - start.getTime();
    expect(low).toBe(RETRY_DELAYS_MS[0] * (1 - RETRY_JITTER));
    expect(high).toBeLessThanOrEqual(RETRY_DELAYS_MS[0] * (1 + RETRY_JITTER));
    expect(high).toBeGreaterThan(RETRY_DELAYS_MS[0] * 1.19);
  });

  it('gives up at once when the first attempt is 24 h old (a manual redeliver of a failed delivery)', () => {
    expect(nextRetryAt(3, start, new Date(start.getTime() + 25 * HOUR))).toBeNull();
  });
});

describe('afterAttempt', () => {
  const now = new Date(start.getTime() + 1000);

  it('a 2xx delivers', () => {
    expect(afterAttempt({ succeeded: true, retries: true, attemptsMade: 1, firstAttemptAt: start, now })).toEqual({
      status: 'delivered',
    });
  });

  it('a failure is retried on the schedule', () => {
    const state = afterAttempt({
      succeeded: false,
      retries: true,
      attemptsMade: 1,
      firstAttemptAt: start,
      now,
      random: () => 0.5,
    });
    expect(state).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + RETRY_DELAYS_MS[0]) });
  });

  it('a test event is tried once', () => {
    expect(afterAttempt({ succeeded: false, retries: false, attemptsMade: 1, firstAttemptAt: start, now })).toEqual({
      status: 'failed',
    });
  });

  it('a failure after the retry window fails the delivery', () => {
    const late = new Date(start.getTime() + RETRY_WINDOW_MS);
    expect(
      afterAttempt({ succeeded: false, retries: true, attemptsMade: 15, firstAttemptAt: start, now: late }),
    ).toEqual({ status: 'failed' });
  });
});
