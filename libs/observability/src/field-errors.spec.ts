import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ApiError } from './api-error';
import { NOT_AN_OBJECT, parseFields } from './field-errors';

const schema = z.strictObject({ amount: z.number().int().positive(), note: z.string().max(5).optional() });
const fields = {
  amount: { vi: 'Số tiền nguyên dương', en: 'A positive whole amount' },
  note: { vi: 'Ghi chú tối đa 5 ký tự', en: 'Note: at most 5 characters' },
};

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('parseFields', () => {
  it('returns the parsed value', () => {
    expect(parseFields(schema, { amount: 5 }, { fields, root: 'body', fallback: NOT_AN_OBJECT })).toEqual({
      amount: 5,
    });
  });

  it('names every offending field with its own message, unknown fields together', () => {
    const error = errorOf(() =>
      parseFields(
        schema,
        { amount: -1, note: 'too long', x: 1, y: 2 },
        { fields, root: 'body', fallback: NOT_AN_OBJECT },
      ),
    );
    expect(error.status).toBe(400);
    expect(error.details).toEqual({
      fields: expect.arrayContaining([
        { field: 'amount', message: fields.amount },
        { field: 'note', message: fields.note },
        { field: 'x,y', message: { vi: 'Trường không được hỗ trợ', en: 'Unknown field' } },
      ]),
    });
  });

  it('says a missing or non-object body is not an object, while an absent query is empty', () => {
    const body = errorOf(() => parseFields(schema, undefined, { fields, root: 'body', fallback: NOT_AN_OBJECT }));
    expect(body.details).toEqual({ fields: [{ field: 'body', message: NOT_AN_OBJECT }] });
    const query = errorOf(() => parseFields(schema, undefined, { fields, root: 'query', fallback: NOT_AN_OBJECT }));
    expect(query.details).toEqual({ fields: [{ field: 'amount', message: fields.amount }] });
  });

  it('lets a caller refine the message from the issue', () => {
    const future = { vi: 'Ngày trong tương lai', en: 'A future date' };
    const dated = z.strictObject({ date: z.string().refine((d) => d < '2030', { message: 'future' }) });
    const error = errorOf(() =>
      parseFields(
        dated,
        { date: '2031' },
        {
          fields: {},
          root: 'query',
          fallback: NOT_AN_OBJECT,
          refine: (_field, issue) => (issue.message === 'future' ? future : undefined),
        },
      ),
    );
    expect(error.details).toEqual({ fields: [{ field: 'date', message: future }] });
  });
});
