import { describe, expect, it } from '@jest/globals';
import { checkWebhookUrl, isPrivateAddress } from './webhook-url';

describe('merchant webhook URL', () => {
  it('accepts absolute http(s) URLs and normalises them', () => {
    expect(checkWebhookUrl(' https://shop.example.vn/hooks/cashless ', false)).toEqual({
      ok: true,
      url: 'https://shop.example.vn/hooks/cashless',
    });
    expect(checkWebhookUrl('http://Shop.Example.vn', false)).toEqual({ ok: true, url: 'http://shop.example.vn/' });
  });

  it.each([
    [undefined, 'required'],
    ['', 'required'],
    [42, 'required'],
    ['shop.example.vn/hook', 'valid absolute URL'],
    ['ftp://shop.example.vn/hook', 'http:// or https://'],
    ['javascript:alert(1)', 'http:// or https://'],
    ['https://user:pass@shop.example.vn/hook', 'user name or password'],
    ['https://user@shop.example.vn/hook', 'user name or password'],
    [`https://shop.example.vn/${'a'.repeat(2000)}`, 'at most 2000'],
  ])('refuses %s (%s) with a bilingual message', (url, english) => {
    const check = checkWebhookUrl(url, true);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message.en).toContain(english);
    expect(check.message.vi.length).toBeGreaterThan(0);
  });

  it.each([
    'http://localhost:3000/h',
    'http://127.0.0.1/h',
    'http://10.1.2.3/h',
    'http://192.168.1.10/h',
    'http://[::1]/h',
  ])('refuses %s when private addresses are not allowed, accepts it when they are', (url) => {
    expect(checkWebhookUrl(url, false).ok).toBe(false);
    expect(checkWebhookUrl(url, true).ok).toBe(true);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '203.113.131.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', 'shop.example.vn'])(
    '%s is not',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});
