import type { GatewayConfig } from '../config';

export interface Upstream {
  name: string;
  url: string;
}

/** The services behind the gateway, in one place. */
export function upstreamsOf(config: GatewayConfig): Upstream[] {
  return [
    { name: 'merchant', url: config.MERCHANT_URL },
    { name: 'payment', url: config.PAYMENT_URL },
    { name: 'ledger', url: config.LEDGER_URL },
    { name: 'analytics', url: config.ANALYTICS_URL },
  ];
}
