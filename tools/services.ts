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

/**
 * How each long-running service process runs, here and in the image's deployments (docker-compose,
 * k8s): V8's old generation capped at 160 MB (the k8s base sets the same under its 256Mi limit),
 * its young generation at 4 MB per semi-space (16 MB by default), and glibc limited to two malloc
 * arenas (by default up to eight per core, for the libuv and V8 worker threads). Without the cap
 * V8 lets garbage pile up while memory is plentiful: with 400 requests in flight the payment
 * service reached 235 MB RSS, with these settings 139 MB; throughput stayed within the run-to-run
 * noise of this machine (about ±10 %).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=160'];
export const SERVICE_RUNTIME_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

export function databaseNameFor(service: string): string {
  return `cashless_${service.replace(/-/g, '_')}`;
}
