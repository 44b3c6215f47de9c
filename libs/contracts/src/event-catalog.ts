import { z } from 'zod';
import { EventEnvelope, eventEnvelopeSchema } from './envelope';

export class EventValidationError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'EventValidationError';
  }
}

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  schema: S;
}

export function defineEvent<S extends z.ZodType>(type: string, version: number, schema: S): EventDefinition<S> {
  return { type, version, schema };
}

/**
 * The set of event types a producer may publish or a consumer accepts, each with the schema
 * of its `data`. Producers validate before writing to the outbox; consumers validate on receipt
 * so a malformed message is dead-lettered instead of corrupting state.
 */
export class EventCatalog {
  private readonly definitions = new Map<string, EventDefinition>();

  constructor(definitions: EventDefinition[] = []) {
    for (const d of definitions) this.register(d);
  }

  register(definition: EventDefinition): this {
    const id = EventCatalog.idOf(definition.type, definition.version);
    if (this.definitions.has(id)) throw new Error(`Event ${id} registered twice`);
    this.definitions.set(id, definition);
    return this;
  }

  has(type: string, version: number): boolean {
    return this.definitions.has(EventCatalog.idOf(type, version));
  }

  /** Validates the envelope and its data; returns the envelope with parsed (typed) data. */
  validate(candidate: unknown): EventEnvelope {
    const envelope = eventEnvelopeSchema.safeParse(candidate);
    if (!envelope.success) {
      throw new EventValidationError(
        'Malformed event envelope',
        envelope.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const { type, version } = envelope.data;
    const definition = this.definitions.get(EventCatalog.idOf(type, version));
    if (!definition) throw new EventValidationError(`Unknown event type ${type} v${version}`);
    const data = definition.schema.safeParse(envelope.data.data);
    if (!data.success) {
      throw new EventValidationError(
        `Invalid data for ${type} v${version}`,
        data.error.issues.map((i) => ({ path: ['data', ...i.path].join('.'), message: i.message })),
      );
    }
    return { ...envelope.data, data: data.data };
  }

  private static idOf(type: string, version: number): string {
    return `${type}@${version}`;
  }
}
