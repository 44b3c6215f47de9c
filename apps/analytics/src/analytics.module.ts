import { Module } from '@nestjs/common';

/** The analytics service: adoption projections, campaigns, exports. Domain modules are imported here. */
@Module({ imports: [] })
export class AnalyticsModule {}
