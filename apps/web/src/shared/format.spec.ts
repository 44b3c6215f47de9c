import { describe, expect, it } from '@jest/globals';
import { formatDateTime, formatDay, formatTime, formatVnd } from './format';

describe('Vietnamese formats', () => {
  it('writes money as 1.234.567 ₫ and days as dd/MM/yyyy', () => {
    expect(formatVnd(1234567)).toBe('1.234.567\u00a0₫');
    expect(formatVnd(1234567, 'en')).toBe('1,234,567 ₫');
    expect(formatDay('2025-06-01')).toBe('01/06/2025');
  });

  it('gives times in Asia/Ho_Chi_Minh whatever the machine’s zone', () => {
    expect(formatTime('2026-11-26T17:05:09Z')).toBe('00:05:09');
    expect(formatDateTime('2026-11-26T17:05:09Z')).toBe('27/11/2026 00:05');
  });
});
