import { runDatabaseService } from '@cashless/platform';
import { paymentCatalog } from './events';
import { paymentDatabase } from './database';
import { PaymentModule } from './payment.module';

runDatabaseService({
  name: 'payment',
  defaultPort: 8082,
  module: PaymentModule,
  database: paymentDatabase,
  catalog: paymentCatalog,
  consumesEvents: true,
});
