import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

/** Where the gateway finds each service's HTTP API. */
export const gatewayEnv = z.object({
  MERCHANT_URL: httpUrl.default('http://127.0.0.1:8081'),
  PAYMENT_URL: httpUrl.default('http://127.0.0.1:8082'),
  LEDGER_URL: httpUrl.default('http://127.0.0.1:8083'),
  ANALYTICS_URL: httpUrl.default('http://127.0.0.1:8084'),
});

export type GatewayConfig = z.output<typeof gatewayEnv>;
