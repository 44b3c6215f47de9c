import { describe, expect, it } from '@jest/globals';
import { pageFor } from './page-routes';

const pages = new Set(['', 'city', 'city/report', 'merchant']);

describe('web page routing', () => {
  it('serves the index at / and each page at its folder', () => {
    expect(pageFor('/', pages)).toBe('');
    expect(pageFor('/city', pages)).toBe('city');
    expect(pageFor('/city/', pages)).toBe('city');
    expect(pageFor('/city/report?month=2025-06', pages)).toBe('city/report');
  });

  it('falls back to the deepest page for paths inside it (client-side routes)', () => {
    expect(pageFor('/city/streets/abc', pages)).toBe('city');
    expect(pageFor('/city/report/print', pages)).toBe('city/report');
    expect(pageFor('/merchant/orders/1', pages)).toBe('merchant');
  });

  it('has no page for unknown paths or path tricks', () => {
    expect(pageFor('/nothing', pages)).toBeUndefined();
    expect(pageFor('/city/../etc/passwd', pages)).toBeUndefined();
    expect(pageFor('/city/%2e%2e/x', pages)).toBeUndefined();
    expect(pageFor('/', new Set(['city']))).toBeUndefined();
  });
});
