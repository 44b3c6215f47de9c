/** Which service answers a public `/api/v1` path. Pure, so the table is tested directly. */
export type ServiceName = 'merchant' | 'payment' | 'ledger' | 'analytics';

interface Route {
  pattern: RegExp;
  service: ServiceName;
}

const id = '[^/]+';

/** First match wins: the specific merchant sub-resources come before `/merchants`. */
export const ROUTES: readonly Route[] = [
  { pattern: new RegExp(`^/api/v1/merchants/${id}/(feed|webhooks?|webhook-deliveries)(/|$)`), service: 'payment' },
  { pattern: new RegExp(`^/api/v1/merchants/${id}/(balance|statement|statements)(\\.csv)?(/|$)`), service: 'ledger' },
  {
    pattern: /^\/api\/v1\/(auth|streets|wards|admin-units|merchants|boards|fraud-reports|audit-log)(\/|$)/,
    service: 'merchant',
  },
  { pattern: /^\/api\/v1\/(payment-intents|bank-notifications|unattributed-transfers)(\/|$)/, service: 'payment' },
  { pattern: /^\/api\/v1\/ledger(\/|$)/, service: 'ledger' },
  { pattern: /^\/api\/v1\/city(\/|$)/, service: 'analytics' },
];

export function serviceFor(url: string): ServiceName | undefined {
  const path = url.split('?', 1)[0];
  // Dot segments would let a client address a route of another service after normalisation.
  if (/(^|\/)\.\.?(\/|$)/.test(path) || /%2e/i.test(path)) return undefined;
  return ROUTES.find((r) => r.pattern.test(path))?.service;
}
