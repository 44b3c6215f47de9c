import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@cashless/observability';
import { batchRequestSchema, fieldName, loadRequestSchema, parseRequest, payRequestSchema } from './sim-requests';

function fieldErrors(run: () => unknown): { field: string; message: { vi: string; en: string } }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('validation_failed');
    return (apiError.details as { fields: { field: string; message: { vi: string; en: string } }[] }).fields;
  }
  throw new Error('expected a validation error');
}

describe('sim request validation', () => {
  it('fills the defaults of a pay request', () => {
    expect(parseRequest(payRequestSchema, { payload: '0002010102' })).toEqual({
      payload: '0002010102',
      duplicates: 0,
      concurrent: false,
    });
  });

  it('names every bad field of a pay request, in both languages', () => {
    const errors = fieldErrors(() =>
      parseRequest(payRequestSchema, {
        amount: 1.5,
        payerAccount: '0123-456',
        duplicates: 99,
        delayMs: -1,
        mangle: 'shout',
        extra: 1,
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(
      ['amount', 'delayMs', 'duplicates', 'extra', 'mangle', 'payerAccount', 'payload'].sort(),
    );
    for (const { message } of errors) {
      expect(message.vi.length).toBeGreaterThan(0);
      expect(message.en.length).toBeGreaterThan(0);
    }
    expect(errors.find((e) => e.field === 'extra')?.message.en).toBe('Unknown field');
    expect(errors.find((e) => e.field === 'mangle')?.message.en).toContain('vcb');
    expect(fieldErrors(() => parseRequest(payRequestSchema, 'x'))).toEqual([
      { field: 'body', message: { vi: 'Phải là một đối tượng JSON', en: 'Must be a JSON object' } },
    ]);
  });

  it('names fields inside a batch by their path', () => {
    const errors = fieldErrors(() =>
      parseRequest(batchRequestSchema, { payments: [{ payload: 'x' }, { payload: 'y', delayMs: 5, amount: 0 }] }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(['payments[1].amount', 'payments[1].delayMs']);
    expect(fieldErrors(() => parseRequest(batchRequestSchema, { payments: [] }))[0].field).toBe('payments');
  });

  it('checks that a load run has something to pay', () => {
    const base = { ratePerSecond: 50, durationSeconds: 10 };
    expect(fieldErrors(() => parseRequest(loadRequestSchema, base)).map((e) => e.field)).toEqual(['merchants']);
    expect(
      fieldErrors(() => parseRequest(loadRequestSchema, { ...base, payloads: ['x'], dynamicShare: 0.5 })).map(
        (e) => e.field,
      ),
    ).toEqual(['merchants']);
    expect(
      fieldErrors(() =>
        parseRequest(loadRequestSchema, { ...base, merchants: [{ apiKey: 'k' }], dynamicShare: 0.5 }),
      ).map((e) => e.field),
    ).toEqual(['payloads']);
    expect(parseRequest(loadRequestSchema, { ...base, merchants: [{ apiKey: 'k' }] })).toMatchObject({
      maxInFlight: 256,
    });
    const errors = fieldErrors(() =>
      parseRequest(loadRequestSchema, {
        ratePerSecond: 0,
        durationSeconds: 1e6,
        payloads: [''],
        amounts: { min: 5000, max: 1000 },
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual([
      'amounts.max',
      'durationSeconds',
      'payloads[0]',
      'ratePerSecond',
    ]);
    expect(errors.find((e) => e.field === 'payloads[0]')?.message.en).toContain('VietQR payloads');
  });

  it('writes field paths as a client reads them', () => {
    expect(fieldName(['payments', 2, 'amount'])).toBe('payments[2].amount');
    expect(fieldName([])).toBe('body');
  });
});
