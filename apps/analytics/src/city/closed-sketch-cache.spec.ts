import { describe, expect, it, jest } from '@jest/globals';
import { ClosedSketchCache } from './read-queries';

describe('the cache of ended periods’ shopper sketches', () => {
  const sketch = Buffer.alloc(2048, 1);

  it('serves an entry until its time is up, and nothing when switched off', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const cache = new ClosedSketchCache(60_000);
      cache.set('month|s|2025-06-01', { shoppers: 4, sketch });
      expect(cache.get('month|s|2025-06-01', true)).toMatchObject({ shoppers: 4, sketch });
      jest.setSystemTime(60_001);
      expect(cache.get('month|s|2025-06-01', true)).toBeUndefined();

      const off = new ClosedSketchCache(0);
      off.set('month|s|2025-06-01', { shoppers: 4, sketch });
      expect(off.get('month|s|2025-06-01', false)).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('an entry kept without its sketch does not answer a read that merges', () => {
    const cache = new ClosedSketchCache(60_000);
    cache.set('day|s|2025-06-05', { shoppers: 4, sketch: null });
    expect(cache.get('day|s|2025-06-05', false)).toMatchObject({ shoppers: 4 });
    expect(cache.get('day|s|2025-06-05', true)).toBeUndefined();
  });

  it('keeps an entry derived from others no longer than they are kept', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const cache = new ClosedSketchCache(60_000);
      const source = cache.set('month|s|2025-06-01', { shoppers: 4, sketch });
      jest.setSystemTime(30_000);
      expect(cache.expiry()).toBe(90_000);
      expect(cache.set('union|s|2025-06-01|2025-07-31', { shoppers: null, sketch }, source)).toBe(60_000);
      jest.setSystemTime(60_001);
      expect(cache.get('union|s|2025-06-01|2025-07-31', true)).toBeUndefined();
      expect(new ClosedSketchCache(0).expiry()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
