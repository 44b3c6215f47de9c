import { MessagingTables1764115200000 } from '@cashless/messaging';
import type { DatabaseServiceDefinition } from '@cashless/platform';
import { AnalyticsProjections1765411200000 } from './migrations/1765411200000-analytics-projections';
import { AnalyticsStreetTotals1765497600000 } from './migrations/1765497600000-analytics-street-totals';

/** Entities and migrations of the analytics database (owned by this service alone). Plain SQL, no entities. */
export const analyticsDatabase: DatabaseServiceDefinition['database'] = {
  entities: [],
  migrations: [MessagingTables1764115200000, AnalyticsProjections1765411200000, AnalyticsStreetTotals1765497600000],
};
