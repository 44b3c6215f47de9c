import { MessagingTables1764115200000 } from '@cashless/messaging';
import type { DatabaseServiceDefinition } from '@cashless/platform';
import { Journal1765324800000 } from './migrations/1765324800000-journal';
import { StatementsAndReconciliation1765411200000 } from './migrations/1765411200000-statements-and-reconciliation';

/** Entities and migrations of the ledger database (owned by this service alone). Plain SQL, no entities. */
export const ledgerDatabase: DatabaseServiceDefinition['database'] = {
  entities: [],
  migrations: [MessagingTables1764115200000, Journal1765324800000, StatementsAndReconciliation1765411200000],
};
