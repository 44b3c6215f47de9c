/** The platform's processes as `npm start` runs them, in start order. */
export interface ServiceSpec {
  name: string;
  /** Compiled entry point, relative to the repository root. */
  entry: string;
  /** Offset from the base port (the gateway takes the base port itself). */
  portOffset: number;
  /** Owns a database (migrated before start) and talks to Kafka. */
  ownsDatabase: boolean;
}

export const SERVICES: ServiceSpec[] = [
  { name: 'merchant', entry: 'dist/apps/merchant/src/main.js', portOffset: 1, ownsDatabase: true },
  { name: 'payment', entry: 'dist/apps/payment/src/main.js', portOffset: 2, ownsDatabase: true },
  { name: 'ledger', entry: 'dist/apps/ledger/src/main.js', portOffset: 3, ownsDatabase: true },
  { name: 'analytics', entry: 'dist/apps/analytics/src/main.js', portOffset: 4, ownsDatabase: true },
  { name: 'bank-sim', entry: 'dist/apps/bank-sim/src/main.js', portOffset: 5, ownsDatabase: false },
  { name: 'gateway', entry: 'dist/apps/gateway/src/main.js', portOffset: 0, ownsDatabase: false },
];

export function databaseNameFor(service: string): string {
  return `cashless_${service.replace(/-/g, '_')}`;
}
