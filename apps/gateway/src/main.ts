import { runStatelessService } from '@cashless/platform';
import { gatewayEnv, rateLimitsOf } from './config';
import { GatewayModule } from './gateway.module';
import { registerApiProxy } from './routing/proxy';

runStatelessService({
  name: 'gateway',
  defaultPort: 8080,
  env: gatewayEnv,
  module: (config) => GatewayModule.forRoot(config),
  configure: (app, { config, logger }) =>
    registerApiProxy(app.getHttpAdapter().getInstance(), {
      logger,
      rateLimits: rateLimitsOf(config),
      upstreams: {
        merchant: config.MERCHANT_URL,
        payment: config.PAYMENT_URL,
        ledger: config.LEDGER_URL,
        analytics: config.ANALYTICS_URL,
      },
    }),
});
