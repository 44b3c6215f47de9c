import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { Admin, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventCatalog } from '@cashless/contracts';
import { HealthRegistry, Metrics } from '@cashless/observability';
import { MessagingLogger, createKafka, producerConfig } from './kafka';
import { KafkaInboxServer, KafkaInboxServerOptions } from './inbox/kafka-inbox.server';
import { OutboxRelay } from './outbox/outbox.relay';
import { pruneInbox } from './inbox/inbox-retention';
import { OutboxWriter } from './outbox/outbox.writer';

export const KAFKA = Symbol('KAFKA');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  /** Used for the Kafka client id and as the default consumer group. */
  service: string;
  instanceId?: string;
  brokers: string[];
  catalog: EventCatalog;
  logger: MessagingLogger;
  /** Services with a database publish through the outbox; the gateway and bank-sim do not. */
  outbox: boolean;
  relayBatchSize?: number;
}

/** Keeps a producer and an admin client; reports Kafka in `GET /health`. */
@Injectable()
export class KafkaConnections implements OnModuleInit, OnModuleDestroy {
  readonly producer: Producer;
  private admin?: Admin;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly health: HealthRegistry,
  ) {
    this.producer = kafka.producer(producerConfig);
  }

  onModuleInit(): void {
    this.health.register({ name: 'kafka', check: () => this.ping() });
  }

  async onModuleDestroy(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }

  private async ping(): Promise<void> {
    try {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
      await this.admin.describeCluster();
    } catch (error) {
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
  }
}

/** Runs the outbox relay for the lifetime of the app; stops it before the database closes. */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  readonly relay: OutboxRelay;

  constructor(
    dataSource: DataSource,
    connections: KafkaConnections,
    metrics: Metrics,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.relay = new OutboxRelay(dataSource, connections.producer, {
      batchSize: options.relayBatchSize,
      logger: options.logger,
      onPublished: (n) => metrics.eventsPublished.inc(n),
      beforeAttempt: () => connections.producer.connect(),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

/** Prunes old inbox rows once an hour while the app runs. */
@Injectable()
export class InboxRetentionRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      pruneInbox(this.dataSource).catch((error: unknown) =>
        this.options.logger.warn({ err: String(error) }, 'inbox pruning failed; will retry'),
      );
    }, 3600_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}

/** Builds the service's Kafka consumer (see KafkaInboxServer) with the shared wiring. */
@Injectable()
export class InboxServerFactory {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  create(overrides: Partial<KafkaInboxServerOptions> = {}): KafkaInboxServer {
    return new KafkaInboxServer({
      kafka: this.kafka,
      groupId: this.options.service,
      dataSource: this.dataSource,
      catalog: this.options.catalog,
      logger: this.options.logger,
      onProcessed: (n) => this.metrics.eventsConsumed.inc(n),
      ...overrides,
    });
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const clientId = options.instanceId ? `${options.service}-${options.instanceId}` : options.service;
    const outboxProviders = options.outbox
      ? [{ provide: OutboxWriter, useValue: new OutboxWriter(options.catalog) }, OutboxRelayRunner, InboxServerFactory]
      : [];
    return {
      module: MessagingModule,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: EventCatalog, useValue: options.catalog },
        {
          provide: KAFKA,
          useFactory: () => createKafka({ brokers: options.brokers, clientId, logger: options.logger }),
        },
        KafkaConnections,
        ...outboxProviders,
      ],
      exports: [
        KAFKA,
        EventCatalog,
        KafkaConnections,
        ...(options.outbox ? [OutboxWriter, OutboxRelayRunner, InboxServerFactory] : []),
      ],
    };
  }
}
