import { runStatelessService } from '@cashless/platform';
import { gatewayEnv, rateLimitsOf } from './config';
import { GatewayModule } from './gateway.module';
import { registerApiProxy } from './routing/proxy';
import { registerWebPages } from './web/web-pages';

runStatelessService({
  name: 'gateway',
  defaultPort: 8080,
  env: gatewayEnv,
  module: (config) => GatewayModule.forRoot(config),
  configure: async (app, { config, logger }) => {
    await registerWebPages(app.getHttpAdapter().getInstance(), { logger });
    await registerApiProxy(app.getHttpAdapter().getInstance(), {
      logger,
      rateLimits: rateLimitsOf(config),
      upstreams: {
        merchant: config.MERCHANT_URL,
        payment: config.PAYMENT_URL,
        ledger: config.LEDGER_URL,
        analytics: config.ANALYTICS_URL,
      },
    });
  },
});
