import { runStatelessService } from '@cashless/platform';
import { bankSimEnv } from './config';
import { BankSimModule } from './bank-sim.module';

runStatelessService({
  name: 'bank-sim',
  defaultPort: 8085,
  env: bankSimEnv,
  module: (config) => BankSimModule.forRoot(config),
});
