import { describe, expect, it } from '@jest/globals';
import { canonicalJson, decideIdempotency, requestHash } from './idempotency';

const stored = { requestHash: 'h1', responseStatus: 201, responseBody: { id: 'x' } };

describe('idempotency decision', () => {
  it('proceeds with a new key', () => {
    expect(decideIdempotency(true, null, 'h1')).toEqual({ kind: 'proceed' });
  });
  it('replays the stored answer for the same body', () => {
    expect(decideIdempotency(true, stored, 'h1')).toEqual({ kind: 'replay', status: 201, body: { id: 'x' } });
  });
  it('refuses a different body under the same key', () => {
    expect(decideIdempotency(true, stored, 'h2')).toEqual({ kind: 'mismatch' });
  });
  it('reports a concurrent duplicate when the key is locked by another request', () => {
    expect(decideIdempotency(false, null, 'h1')).toEqual({ kind: 'in_progress' });
    expect(decideIdempotency(false, stored, 'h1')).toEqual({ kind: 'in_progress' });
  });
});

describe('request hash', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }], e: undefined })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(requestHash({ amount: 1, orderRef: 'A' })).toBe(requestHash({ orderRef: 'A', amount: 1 }));
  });
  it('tells different bodies apart', () => {
    expect(requestHash({ amount: 1 })).not.toBe(requestHash({ amount: 2 }));
    expect(requestHash({ amount: 1 })).not.toBe(requestHash({ amount: '1' }));
  });
});
