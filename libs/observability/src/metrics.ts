import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process: default process metrics plus the platform's own. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsPublished: Counter;
  readonly eventsConsumed: Counter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.eventsPublished = new Counter({
      name: 'outbox_events_published_total',
      help: 'Events published from the outbox to Kafka',
      registers: [this.registry],
    });
    this.eventsConsumed = new Counter({
      name: 'inbox_events_processed_total',
      help: 'Kafka messages processed by this service (including skipped duplicates)',
      registers: [this.registry],
    });
  }
}
