import { createHash } from 'node:crypto';

/** Idempotency keys are kept this long at least (contract: ≥ 24 h); older ones are deleted. */
export const IDEMPOTENCY_RETENTION_HOURS = 48;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface StoredIdempotency {
  requestHash: string;
  responseStatus: number;
  responseBody: unknown;
}

export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

/**
 * What to do with a create request, given whether this request holds the key's lock (another
 * request with the same key is running when it does not) and what is stored for the key.
 */
export function decideIdempotency(
  lockAcquired: boolean,
  stored: StoredIdempotency | null,
  requestHash: string,
): IdempotencyDecision {
  if (!lockAcquired) return { kind: 'in_progress' };
  if (!stored) return { kind: 'proceed' };
  if (stored.requestHash !== requestHash) return { kind: 'mismatch' };
  return { kind: 'replay', status: stored.responseStatus, body: stored.responseBody };
}

/** Stable JSON (keys sorted) so the same body in another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
