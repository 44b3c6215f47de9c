import { runDatabaseService } from '@cashless/platform';
import { ledgerCatalog } from './events';
import { ledgerDatabase } from './database';
import { LedgerModule } from './ledger.module';

runDatabaseService({
  name: 'ledger',
  defaultPort: 8083,
  module: LedgerModule,
  database: ledgerDatabase,
  catalog: ledgerCatalog,
  consumesEvents: false,
});
