import { Module } from '@nestjs/common';
import { ANALYTICS_CONFIG } from '../analytics.config';
import type { AnalyticsConfig } from '../analytics.config';
import { ProjectionEventsController } from './projection-events.controller';
import { ProjectionStore } from './projection-store';

/** Facts and daily aggregates fed by merchant and payment events. */
@Module({
  controllers: [ProjectionEventsController],
  providers: [
    {
      provide: ProjectionStore,
      useFactory: (c: AnalyticsConfig) => new ProjectionStore({ lateSeconds: c.lateSeconds }),
      inject: [ANALYTICS_CONFIG],
    },
  ],
  exports: [ProjectionStore],
})
export class ProjectionsModule {}
