import { Controller, DynamicModule, Get, Global, Header, Module, Res } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { AppLogger, GlobalErrorFilter, HealthRegistry, Metrics } from '@cashless/observability';
import { LOGGER, SERVICE_NAME } from './tokens';

@Controller()
class OpsController {
  constructor(
    private readonly health: HealthRegistry,
    private readonly metrics: Metrics,
  ) {}

  /** Ready when every dependency answers; 503 with the failing checks otherwise. */
  @Get('health')
  async getHealth(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.health.report();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  /** Liveness: the process serves requests. Unlike /health it ignores dependencies, so an
   *  orchestrator restarts a stuck process but not one that waits for Kafka to come back. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async getMetrics(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

export interface PlatformModuleOptions {
  service: string;
  logger: AppLogger;
  metrics: Metrics;
}

/**
 * What every service has: the structured logger, the health registry behind `GET /health`,
 * Prometheus metrics at `GET /metrics`, and the global error filter.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [OpsController],
      providers: [
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: LOGGER, useValue: options.logger },
        { provide: Metrics, useValue: options.metrics },
        { provide: HealthRegistry, useValue: new HealthRegistry(options.service) },
        {
          provide: APP_FILTER,
          inject: [LOGGER],
          useFactory: (logger: AppLogger) => new GlobalErrorFilter(logger),
        },
      ],
      exports: [SERVICE_NAME, LOGGER, Metrics, HealthRegistry],
    };
  }
}
