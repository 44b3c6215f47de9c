import { runDatabaseService } from '@cashless/platform';
import { merchantCatalog } from './events';
import { merchantDatabase } from './database';
import { seedDemoMerchants } from './demo/demo-seed';
import { MerchantModule } from './merchant.module';

runDatabaseService({
  name: 'merchant',
  defaultPort: 8081,
  module: MerchantModule,
  database: merchantDatabase,
  catalog: merchantCatalog,
  consumesEvents: false,
  demoSeed: (context) => seedDemoMerchants(context),
});
