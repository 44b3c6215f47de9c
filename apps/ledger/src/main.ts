import { runDatabaseService } from '@cashless/platform';
import { ledgerCatalog } from './events';
import { ledgerDatabase } from './database';
import { loadLedgerConfig } from './ledger.config';
import type { LedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

let config: LedgerConfig;
try {
  // Needed before the service is assembled (the consumed topic and the consumer group).
  config = loadLedgerConfig();
} catch (error) {
  process.stderr.write(`ledger failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

runDatabaseService({
  // The platform names the consumer group after the service; LEDGER_CONSUMER_GROUP lets a test or
  // a benchmark run a ledger beside another one on the same broker.
  name: config.consumerGroup,
  defaultPort: 8083,
  module: LedgerModule.forRoot(config),
  database: ledgerDatabase,
  catalog: ledgerCatalog,
  consumesEvents: true,
});
