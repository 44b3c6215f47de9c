import type { z } from 'zod';
import { databaseEnv, kafkaEnv, portEnv, serviceEnv } from '@cashless/config';
import { analyticsEnv } from '../../apps/analytics/src/analytics.config';
import { bankSimEnv } from '../../apps/bank-sim/src/config';
import { gatewayEnv } from '../../apps/gateway/src/config';
import { ledgerEnv } from '../../apps/ledger/src/ledger.config';
import { authEnv } from '../../apps/merchant/src/auth/auth.config';
import { paymentEnv } from '../../apps/payment/src/payment.config';
import { SERVICES, type ServiceSpec } from '../../tools/services';

/**
 * What each process validates at boot, for the deployment tests (Kubernetes manifests, Docker
 * Compose): a deployment's environment must pass exactly what the code will check, so these are
 * the code's own schemas, never copies of their rules.
 */

/** The service's spec from tools/services.ts with its default port (base 8080, as in every deployment). */
export function serviceSpec(name: string): ServiceSpec & { port: number } {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service ${name}`);
  return { ...found, port: 8080 + found.portOffset };
}

/** Who calls whom over HTTP, from each service's *_URL variables (config files) and ADR 0010. */
export const CALLS: Record<string, string[]> = {
  gateway: ['merchant', 'payment', 'ledger', 'analytics'],
  merchant: [],
  payment: ['merchant'],
  ledger: ['merchant', 'payment'],
  analytics: ['merchant'],
  'bank-sim': ['gateway'],
};

/**
 * The environment schemas each service validates besides serviceEnv and PORT (libs/platform
 * run-service.ts for the common ones, each app's config for its own).
 */
export const SCHEMAS: Record<string, z.ZodType[]> = {
  gateway: [gatewayEnv],
  merchant: [databaseEnv, kafkaEnv, authEnv],
  payment: [databaseEnv, kafkaEnv, paymentEnv],
  ledger: [databaseEnv, kafkaEnv, ledgerEnv],
  analytics: [databaseEnv, kafkaEnv, analyticsEnv],
  'bank-sim': [bankSimEnv],
};

/** Every schema a service's process checks at boot. */
export function bootSchemas(name: string): z.ZodType[] {
  return [serviceEnv, portEnv(serviceSpec(name).port), ...SCHEMAS[name]];
}

/** What `node dist/apps/<service>/src/main.js migrate` checks (libs/platform run-service.ts). */
export const migrateEnv = serviceEnv.extend(databaseEnv.shape);

/** The variable names an object schema declares (a refined schema keeps its object's shape). */
export const shapeKeys = (schema: z.ZodType): string[] => Object.keys((schema as unknown as { shape: object }).shape);
