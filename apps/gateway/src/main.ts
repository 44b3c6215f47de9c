import { runStatelessService } from '@cashless/platform';
import { gatewayEnv } from './config';
import { GatewayModule } from './gateway.module';

runStatelessService({
  name: 'gateway',
  defaultPort: 8080,
  env: gatewayEnv,
  module: (config) => GatewayModule.forRoot(config),
});
