import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { EventCatalog } from '@cashless/contracts';
import { KafkaInboxServer, OutboxWriter, createKafka } from '@cashless/messaging';
import { Metrics, NestPinoLogger } from '@cashless/observability';
import { DatabaseModule, PlatformModule, createFastifyAdapter } from '@cashless/platform';
import type { DatabaseServiceDefinition } from '@cashless/platform';
import { createTestDatabase } from './databases';

export interface ServiceApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export interface ServiceAppOptions {
  service: string;
  /** Names the suite's database. */
  name: string;
  database: DatabaseServiceDefinition['database'];
  catalog: EventCatalog;
  module: Type<unknown> | DynamicModule;
  /** Consume the service's topics from the real broker with a consumer group of its own. */
  consumesEvents?: boolean;
  logLevel?: string;
}

/**
 * A service as `runDatabaseService` assembles it, on a fresh database cloned from the migrated
 * template, listening on a random port. The outbox writer is real; the relay is left out, so a
 * spec reads exactly what each change wrote to `outbox_message` (or relays explicitly).
 */
export async function startServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { service, name, database, catalog } = options;
  const db = await createTestDatabase(name, database);
  const logger = pino({ level: options.logLevel ?? 'silent' });
  const metrics = new Metrics(service);

  @Global()
  @Module({ providers: [{ provide: OutboxWriter, useValue: new OutboxWriter(catalog) }], exports: [OutboxWriter] })
  class OutboxOnlyModule {}

  @Module({
    imports: [
      PlatformModule.forRoot({ service, logger, metrics }),
      DatabaseModule.forRoot({ ...database, url: db.url, applicationName: `test-${name}`, poolSize: 10 }),
      OutboxOnlyModule,
      options.module,
    ],
  })
  class RootModule {}

  const app = await NestFactory.create<NestFastifyApplication>(RootModule, createFastifyAdapter(logger, metrics), {
    logger: new NestPinoLogger(logger),
  });
  if (options.consumesEvents) {
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
    const consumer = new KafkaInboxServer({
      kafka: createKafka({ brokers, clientId: `${service}-spec-${randomUUID()}` }),
      groupId: `${service}-spec-${randomUUID()}`,
      dataSource: app.get(DataSource),
      catalog,
      fromBeginning: true,
    });
    app.connectMicroservice({ strategy: consumer }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    dataSource: db.dataSource,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
