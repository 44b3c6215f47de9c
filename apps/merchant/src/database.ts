import { MessagingTables1764115200000 } from '@cashless/messaging';
import type { DatabaseServiceDefinition } from '@cashless/platform';

/** Entities and migrations of the merchant database (owned by this service alone). */
export const merchantDatabase: DatabaseServiceDefinition['database'] = {
  entities: [],
  migrations: [MessagingTables1764115200000],
};
