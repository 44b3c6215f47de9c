import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppLogger, Metrics, NestPinoLogger, errorBodyForStatus, requestContext } from '@cashless/observability';

export interface HttpServiceOptions {
  module: Type<unknown>;
  logger: AppLogger;
  metrics: Metrics;
  host: string;
  port: number;
  /** Builds the Kafka consumer once the app (and its DataSource) exists. */
  consumer?: (app: INestApplication) => CustomTransportStrategy;
  /** Largest accepted request body; small by default, every route is JSON. */
  bodyLimitBytes?: number;
  /** Runs after the app is created and before it listens (e.g. to register Fastify routes). */
  configure?: (app: NestFastifyApplication) => Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Creates the Fastify adapter every service uses: request ids, access logs and HTTP metrics. */
export function createFastifyAdapter(logger: AppLogger, metrics: Metrics, bodyLimitBytes = 256 * 1024): FastifyAdapter {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Our onResponse hook writes one access line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: bodyLimitBytes,
    // Paths the router refuses before any route or hook runs (bad percent-encoding, an over-long
    // parameter) still answer in the platform's error shape, not Fastify's.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .status(status)
        .header('x-request-id', request.id)
        .send(
          errorBodyForStatus(
            status,
            status === 414 ? 'A path parameter is too long' : 'Malformed URL',
            String(request.id),
          ),
        );
    },
    // Trust a caller's id (the gateway forwards its own) when it is well-formed; otherwise mint one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    requestContext.run({ requestId: String(request.id) }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    if (route !== '/health' && route !== '/metrics') {
      request.log.info(
        { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
    done();
  });
  return adapter;
}

/** Boots a service: Fastify HTTP API, optional Kafka consumer, graceful shutdown. */
export async function startHttpService(options: HttpServiceOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module,
    createFastifyAdapter(options.logger, options.metrics, options.bodyLimitBytes),
    { logger: new NestPinoLogger(options.logger), bufferLogs: false },
  );
  // SIGTERM/SIGINT run Nest's shutdown sequence: consumers stop before the database pool closes.
  app.enableShutdownHooks();
  if (options.consumer) {
    app.connectMicroservice({ strategy: options.consumer(app) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await options.configure?.(app);
  await app.listen({ port: options.port, host: options.host });
  options.logger.info({ url: await app.getUrl() }, 'listening');
  return app;
}

/** Wraps a service's main(): a boot failure is logged legibly and exits non-zero. */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name} failed to start: ${message}\n`);
    process.exit(1);
  });
}
