import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

/**
 * Every event on every topic travels in this envelope. `key` is the Kafka message key
 * (the merchant id for merchant-scoped events) so one merchant's events stay ordered.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'lower-case dotted event type'),
  version: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  key: z.string().min(1).max(200),
  data: z.unknown(),
  traceId: z.string().min(1).max(100),
});

export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  key: string;
  data: TData;
  traceId: string;
}

export interface NewEvent<TData = unknown> {
  type: string;
  version: number;
  key: string;
  data: TData;
  traceId: string;
  /** Defaults to now. */
  occurredAt?: Date;
  /** Defaults to a fresh UUIDv7 (time-ordered, so ids sort by creation). */
  id?: string;
}

export function createEnvelope<TData>(event: NewEvent<TData>): EventEnvelope<TData> {
  return {
    id: event.id ?? uuidv7(),
    type: event.type,
    version: event.version,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    key: event.key,
    data: event.data,
    traceId: event.traceId,
  };
}

export function newTraceId(): string {
  return uuidv7();
}
