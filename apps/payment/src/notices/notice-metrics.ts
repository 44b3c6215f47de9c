import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@cashless/observability';

/** Prometheus metrics of the live feed and merchant webhooks, in the service's registry. */
@Injectable()
export class NoticeMetrics {
  readonly feedConnections: Gauge;
  readonly feedEventsSent: Counter;
  readonly feedListenerUp: Gauge;
  readonly webhookAttempts: Counter<'result'>;
  readonly webhookDeliveriesSettled: Counter<'status'>;
  readonly webhookAttemptDuration: Histogram<'result'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.feedConnections = new Gauge({
      name: 'payment_feed_connections',
      help: 'Open live-feed (SSE) connections on this instance',
      registers,
    });
    this.feedEventsSent = new Counter({
      name: 'payment_feed_events_sent_total',
      help: 'Payment events written to live-feed connections (live and replayed)',
      registers,
    });
    this.feedListenerUp = new Gauge({
      name: 'payment_feed_listener_up',
      help: '1 while the PostgreSQL LISTEN connection of the live feed is open',
      registers,
    });
    this.webhookAttempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Merchant webhook delivery attempts by result (success, http_error, network_error)',
      labelNames: ['result'],
      registers,
    });
    this.webhookDeliveriesSettled = new Counter({
      name: 'webhook_deliveries_settled_total',
      help: 'Merchant webhook deliveries that reached a final status (delivered, failed)',
      labelNames: ['status'],
      registers,
    });
    this.webhookAttemptDuration = new Histogram({
      name: 'webhook_delivery_attempt_duration_seconds',
      help: 'Time a merchant endpoint took to answer a delivery attempt',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
  }
}
