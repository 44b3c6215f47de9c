import { describe, expect, it } from '@jest/globals';
import { isTransientDatabaseError } from './kafka-inbox.server';

describe('isTransientDatabaseError', () => {
  it.each([
    ['connection failure', { code: '08006' }],
    ['serialization failure', { code: '40001' }],
    ['deadlock', { code: '40P01' }],
    ['too many connections', { code: '53300' }],
    ['admin shutdown', { code: '57P01' }],
    ['terminated connection', new Error('Connection terminated unexpectedly')],
  ])('retries, never dead-letters, a %s', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['unique violation', { code: '23505' }],
    ['handler bug', new TypeError('cannot read properties of undefined')],
    ['null', null],
  ])('treats a %s as the message’s own failure', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
