import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { z } from 'zod';
import { createEnvelope } from './envelope';
import { EventCatalog, EventValidationError, defineEvent } from './event-catalog';
import { deadLetterTopic, platformTopics } from './topics';

const catalog = new EventCatalog([
  defineEvent('merchant.approved', 1, z.object({ merchantId: z.string().min(1), approvedBy: z.string() })),
]);

describe('event envelope and catalog', () => {
  it('accepts a well-formed event and returns its parsed data', () => {
    const envelope = createEnvelope({
      type: 'merchant.approved',
      version: 1,
      key: 'm-1',
      traceId: 'trace-1',
      data: { merchantId: 'm-1', approvedBy: 'officer' },
    });
    expect(catalog.validate(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it('gives every event a time-ordered UUIDv7 id', () => {
    const a = createEnvelope({ type: 'merchant.approved', version: 1, key: 'k', traceId: 't', data: {} });
    const b = createEnvelope({ type: 'merchant.approved', version: 1, key: 'k', traceId: 't', data: {} });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id < b.id).toBe(true);
  });

  it('rejects unknown types and versions', () => {
    const base = {
      type: 'merchant.approved',
      version: 2,
      key: 'k',
      traceId: 't',
      data: { merchantId: 'm', approvedBy: 'o' },
    };
    expect(() => catalog.validate(createEnvelope(base))).toThrow('Unknown event type merchant.approved v2');
    expect(() => catalog.validate(createEnvelope({ ...base, version: 1, type: 'merchant.unknown' }))).toThrow(
      EventValidationError,
    );
  });

  it('names the offending data field', () => {
    const envelope = createEnvelope({
      type: 'merchant.approved',
      version: 1,
      key: 'k',
      traceId: 't',
      data: { merchantId: '' },
    });
    try {
      catalog.validate(envelope);
      throw new Error('expected a validation error');
    } catch (error) {
      expect((error as EventValidationError).issues.map((i) => i.path).sort()).toEqual([
        'data.approvedBy',
        'data.merchantId',
      ]);
    }
  });

  it('refuses registering the same type and version twice', () => {
    const definition = defineEvent('x.y', 1, z.object({}));
    expect(() => new EventCatalog([definition, definition])).toThrow('registered twice');
  });

  it('round-trips any valid event through JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 0, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 100 }),
        (merchantId, approvedBy, traceId) => {
          const envelope = createEnvelope({
            type: 'merchant.approved',
            version: 1,
            key: merchantId,
            traceId,
            data: { merchantId, approvedBy },
          });
          expect(catalog.validate(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
        },
      ),
    );
  });

  it('rejects arbitrary JSON that is not an envelope (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => catalog.validate(value)).toThrow(EventValidationError);
      }),
    );
  });

  it('declares versioned topics, each with a dead-letter topic', () => {
    const names = platformTopics().map((t) => t.name);
    expect(names).toContain('payment.events.v1');
    expect(names).toContain(deadLetterTopic('payment.events.v1'));
    expect(names.every((n) => /\.v\d+(\.dlq)?$/.test(n))).toBe(true);
  });
});
