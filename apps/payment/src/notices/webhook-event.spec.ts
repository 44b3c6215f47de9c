import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { verifySignatureHeader } from '@cashless/contracts';
import { testEventBody, webhookSignatureHeader } from './webhook-event';

const body = testEventBody('0190f3b4-0000-7000-8000-000000000001', '0190f3b4-0000-7000-8000-000000000002', new Date());
const t = 1_765_000_000;

describe('webhook signature (same scheme as the canonical bank notification)', () => {
  it('is t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    const expected = createHmac('sha256', 'whsec_current').update(`${t}.${body}`).digest('hex');
    expect(webhookSignatureHeader(['whsec_current'], body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies with the shared checker, and not for another body or secret', () => {
    const header = webhookSignatureHeader(['whsec_current'], body, t);
    expect(verifySignatureHeader(header, body, 'whsec_current', { nowSeconds: t })).toEqual({ ok: true, timestamp: t });
    expect(verifySignatureHeader(header, body + ' ', 'whsec_current', { nowSeconds: t }).ok).toBe(false);
    expect(verifySignatureHeader(header, body, 'whsec_other', { nowSeconds: t }).ok).toBe(false);
    expect(verifySignatureHeader(header, body, 'whsec_current', { nowSeconds: t + 301 })).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('during a rotation carries one v1 per secret, so a receiver with either secret accepts it', () => {
    const header = webhookSignatureHeader(['whsec_new', 'whsec_old'], body, t);
    expect(header.split(',').filter((part) => part.startsWith('v1='))).toHaveLength(2);
    expect(verifySignatureHeader(header, body, 'whsec_new', { nowSeconds: t }).ok).toBe(true);
    expect(verifySignatureHeader(header, body, 'whsec_old', { nowSeconds: t }).ok).toBe(true);
  });

  it('signs a body that is an event envelope {id, type, createdAt, data}', () => {
    expect(Object.keys(JSON.parse(body))).toEqual(['id', 'type', 'createdAt', 'data']);
  });
});
