import { runDatabaseService } from '@cashless/platform';
import { analyticsCatalog } from './events';
import { analyticsDatabase } from './database';
import { AnalyticsModule } from './analytics.module';

runDatabaseService({
  name: 'analytics',
  defaultPort: 8084,
  module: AnalyticsModule,
  database: analyticsDatabase,
  catalog: analyticsCatalog,
  consumesEvents: true,
});
