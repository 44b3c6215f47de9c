import { BlockList, isIP } from 'node:net';
import type { LocalizedText } from '@cashless/observability';

export const WEBHOOK_URL_MAX_LENGTH = 2_000;

/** Addresses a webhook must not reach in production: loopback, private, link-local, CGNAT, multicast, reserved. */
const PRIVATE_RANGES = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
})();

/** True for an IP address a public webhook endpoint cannot have (IPv4-mapped IPv6 checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE_RANGES.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return PRIVATE_RANGES.check(address, 'ipv4');
  if (family === 6) return PRIVATE_RANGES.check(address, 'ipv6');
  return false;
}

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; message: LocalizedText };

const invalid = (vi: string, en: string): WebhookUrlCheck => ({ ok: false, message: { vi, en } });

/**
 * A merchant's webhook URL: absolute http(s), no credentials in it, at most 2,000 characters; with
 * `allowPrivate` false also no literal private address or localhost (names are checked again when
 * resolved at delivery time).
 */
export function checkWebhookUrl(raw: unknown, allowPrivate: boolean): WebhookUrlCheck {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return invalid('Cần địa chỉ URL nhận webhook', 'A webhook URL is required');
  }
  const tooLong = () =>
    invalid(
      `Địa chỉ URL dài tối đa ${WEBHOOK_URL_MAX_LENGTH} ký tự`,
      `The URL may be at most ${WEBHOOK_URL_MAX_LENGTH} characters long`,
    );
  if (raw.trim().length > WEBHOOK_URL_MAX_LENGTH) return tooLong();
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return invalid('Địa chỉ URL không hợp lệ', 'Not a valid absolute URL');
  }
  // Normalising can lengthen it (punycode, percent-encoding): the stored form must fit too.
  if (url.toString().length > WEBHOOK_URL_MAX_LENGTH) return tooLong();
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return invalid('Địa chỉ URL phải bắt đầu bằng http:// hoặc https://', 'The URL must use http:// or https://');
  }
  if (url.username || url.password) {
    return invalid(
      'Địa chỉ URL không được chứa tên đăng nhập hoặc mật khẩu',
      'The URL must not contain a user name or password',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host))) {
    return invalid(
      'Địa chỉ URL phải là một máy chủ công khai trên Internet',
      'The URL must point to a public Internet host',
    );
  }
  return { ok: true, url: url.toString() };
}
