import 'reflect-metadata';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { z } from 'zod';
import { EventCatalog } from '@cashless/contracts';
import { databaseEnv, kafkaEnv, loadConfig, portEnv, serviceEnv } from '@cashless/config';
import { ServiceDataSourceOptions, createDataSource, prepareDatabase } from '@cashless/database';
import type { DataSource } from 'typeorm';
import { InboxServerFactory, MessagingModule, OutboxWriter } from '@cashless/messaging';
import { AppLogger, Metrics, createLogger } from '@cashless/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startHttpService, runMain } from './bootstrap';
import { DatabaseModule } from './database.module';
import { PlatformModule } from './platform.module';

export interface DatabaseServiceDefinition {
  /** Service name: logs, metrics, Kafka client id and consumer group. */
  name: string;
  defaultPort: number;
  /** The service's root module (its domain modules). */
  module: Type<unknown> | DynamicModule;
  database: Omit<ServiceDataSourceOptions, 'url' | 'applicationName' | 'poolSize'>;
  /** The events this service publishes and consumes. */
  catalog: EventCatalog;
  /** True when the service has `@EventPattern` handlers. */
  consumesEvents: boolean;
  /**
   * Demo data for `npm start` (`node main.js seed-demo`): must check for itself that the database
   * is empty of what it creates, so running it on every start adds nothing twice.
   */
  demoSeed?: (context: DemoSeedContext) => Promise<{ created: number }>;
}

export interface DemoSeedContext {
  dataSource: DataSource;
  outbox: OutboxWriter;
  logger: AppLogger;
}

const databaseServiceEnv = serviceEnv.extend(databaseEnv.shape).extend(kafkaEnv.shape);

/**
 * Entry point of a service that owns a database:
 * - `node main.js migrate` creates the database if missing and applies migrations (one-shot
 *   step, under an advisory lock), then exits;
 * - `node main.js` serves HTTP and consumes Kafka.
 */
export function runDatabaseService(definition: DatabaseServiceDefinition): void {
  runMain(definition.name, async () => {
    if (process.argv[2] === 'migrate') {
      // The one-shot step needs only the database, not Kafka.
      const config = loadConfig(serviceEnv.extend(databaseEnv.shape));
      const applied = await prepareDatabase({
        ...definition.database,
        url: config.DATABASE_URL,
        applicationName: `${definition.name}-migrate`,
      });
      createLogger(definition.name, config.LOG_LEVEL).info(
        { applied },
        applied.length ? 'migrations applied' : 'database up to date',
      );
      return;
    }
    if (process.argv[2] === 'seed-demo') {
      const config = loadConfig(serviceEnv.extend(databaseEnv.shape));
      const logger = createLogger(definition.name, config.LOG_LEVEL);
      if (!definition.demoSeed) return logger.info('no demo data for this service');
      const dataSource = createDataSource({
        ...definition.database,
        url: config.DATABASE_URL,
        applicationName: `${definition.name}-seed`,
        poolSize: 2,
      });
      await dataSource.initialize();
      try {
        const { created } = await definition.demoSeed({
          dataSource,
          outbox: new OutboxWriter(definition.catalog),
          logger,
        });
        logger.info({ created }, created ? 'demo data created' : 'demo data already present');
      } finally {
        await dataSource.destroy();
      }
      return;
    }
    const config = loadConfig(databaseServiceEnv.extend(portEnv(definition.defaultPort).shape));
    const logger = createLogger(definition.name, config.LOG_LEVEL);
    const database: ServiceDataSourceOptions = {
      ...definition.database,
      url: config.DATABASE_URL,
      applicationName: definition.name,
      poolSize: config.DATABASE_POOL_SIZE,
    };
    const metrics = new Metrics(definition.name);

    @Module({
      imports: [
        PlatformModule.forRoot({ service: definition.name, logger, metrics }),
        DatabaseModule.forRoot(database),
        MessagingModule.forRoot({
          service: definition.name,
          instanceId: config.INSTANCE_ID,
          brokers: config.KAFKA_BROKERS,
          catalog: definition.catalog,
          logger,
          outbox: true,
        }),
        definition.module,
      ],
    })
    class ServiceRootModule {}

    await startHttpService({
      module: ServiceRootModule,
      logger,
      metrics,
      host: config.HOST,
      port: config.PORT,
      consumer: definition.consumesEvents ? (app) => app.get(InboxServerFactory).create() : undefined,
    });
  });
}

export interface StatelessServiceDefinition<S extends z.ZodObject> {
  name: string;
  defaultPort: number;
  /** Extra variables of this service, validated with the common ones. */
  env: S;
  module: (config: z.output<S> & z.output<typeof serviceEnv>) => Type<unknown> | DynamicModule;
  /** Runs before the service listens, with its config and logger. */
  configure?: (
    app: NestFastifyApplication,
    context: { config: z.output<S> & z.output<typeof serviceEnv>; logger: AppLogger },
  ) => Promise<void>;
}

/** Entry point of a service without a database (gateway, sandbox bank). */
export function runStatelessService<S extends z.ZodObject>(definition: StatelessServiceDefinition<S>): void {
  runMain(definition.name, async () => {
    const schema = serviceEnv.extend(portEnv(definition.defaultPort).shape).extend(definition.env.shape);
    const config = loadConfig(schema) as z.output<S> & z.output<typeof serviceEnv> & { PORT: number };
    const logger = createLogger(definition.name, config.LOG_LEVEL);
    const metrics = new Metrics(definition.name);

    @Module({
      imports: [PlatformModule.forRoot({ service: definition.name, logger, metrics }), definition.module(config)],
    })
    class ServiceRootModule {}

    await startHttpService({
      module: ServiceRootModule,
      logger,
      metrics,
      host: config.HOST,
      port: config.PORT,
      configure: definition.configure ? (app) => definition.configure!(app, { config, logger }) : undefined,
    });
  });
}
