import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { RequestMethod } from '@nestjs/common';

/**
 * Every public route of the platform, as data for the bad-input campaign (bench/fuzz-campaign.ts),
 * and the check that keeps the list complete: the compiled controllers' Nest metadata is scanned
 * and any route missing here (or listed here but gone) fails the campaign, so a new route cannot
 * escape it.
 */

/** Who may call a route. `self` = the merchant named by `:id` with its own API key. */
export type AuthKind = 'public' | 'any' | 'officer' | 'self' | 'self_or_officer' | 'signed';

/** The shape of one body or query field: what "valid" and "wrong type" mean for it. */
export type FieldKind =
  'text' | 'uuid' | 'amount' | 'int' | 'bool' | 'day' | 'datetime' | 'cursor' | 'enum' | 'list' | 'object';

export type ServiceName = 'merchant' | 'payment' | 'ledger' | 'analytics';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template as the controller declares it, without the leading slash: `api/v1/merchants/:id`. */
  path: string;
  service: ServiceName;
  auth: AuthKind;
  /** JSON body fields (with their kinds), or none for body-less routes. */
  body?: Record<string, FieldKind>;
  query?: Record<string, FieldKind>;
  /** Needs an `Idempotency-Key` header. */
  idempotent?: boolean;
  /** A Server-Sent Events stream: a 200 is closed as soon as its headers arrive. */
  stream?: boolean;
}

const reason = { reason: 'text' } as const;
const payout = { bankBin: 'text', accountNumber: 'text', accountName: 'text' } as const;
const range = { from: 'day', to: 'day', streetId: 'uuid', wardId: 'uuid' } as const;

export const PUBLIC_ROUTES: readonly RouteSpec[] = [
  // merchant service
  {
    method: 'POST',
    path: 'api/v1/auth/login',
    service: 'merchant',
    auth: 'public',
    body: { username: 'text', password: 'text' },
  },
  { method: 'GET', path: 'api/v1/auth/principal', service: 'merchant', auth: 'any' },
  { method: 'GET', path: 'api/v1/admin-units', service: 'merchant', auth: 'public' },
  {
    method: 'POST',
    path: 'api/v1/admin-units',
    service: 'merchant',
    auth: 'officer',
    body: { level: 'enum', name: 'text', kind: 'text', parentId: 'uuid', validFrom: 'day', code: 'text' },
  },
  {
    method: 'POST',
    path: 'api/v1/admin-units/:id/end',
    service: 'merchant',
    auth: 'officer',
    body: { validTo: 'day', successorIds: 'list', streets: 'list' },
  },
  { method: 'GET', path: 'api/v1/merchants/:id/api-keys', service: 'merchant', auth: 'self_or_officer' },
  { method: 'POST', path: 'api/v1/merchants/:id/api-keys', service: 'merchant', auth: 'self', body: { label: 'text' } },
  { method: 'POST', path: 'api/v1/merchants/:id/api-keys/:keyId/revoke', service: 'merchant', auth: 'self_or_officer' },
  {
    method: 'POST',
    path: 'api/v1/merchants/:id/password',
    service: 'merchant',
    auth: 'self',
    body: { password: 'text', currentPassword: 'text' },
  },
  {
    method: 'POST',
    path: 'api/v1/merchants/:id/payout-accounts',
    service: 'merchant',
    auth: 'self_or_officer',
    body: payout,
  },
  {
    method: 'PUT',
    path: 'api/v1/merchants/:id/payout-accounts/:accountId',
    service: 'merchant',
    auth: 'self_or_officer',
    body: { accountName: 'text', active: 'bool' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/qr',
    service: 'merchant',
    auth: 'self_or_officer',
    query: { account: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/qr.png',
    service: 'merchant',
    auth: 'self_or_officer',
    query: { account: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/qr.svg',
    service: 'merchant',
    auth: 'self_or_officer',
    query: { account: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/board.svg',
    service: 'merchant',
    auth: 'self_or_officer',
    query: { account: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/board.pdf',
    service: 'merchant',
    auth: 'self_or_officer',
    query: { account: 'text' },
  },
  { method: 'POST', path: 'api/v1/boards/verify', service: 'merchant', auth: 'public', body: { payload: 'text' } },
  { method: 'GET', path: 'api/v1/boards/:boardCode', service: 'merchant', auth: 'public' },
  {
    method: 'POST',
    path: 'api/v1/boards/:boardCode/report',
    service: 'merchant',
    auth: 'public',
    body: { reason: 'enum', note: 'text', reporterContact: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/fraud-reports',
    service: 'merchant',
    auth: 'officer',
    query: { merchantId: 'uuid', boardCode: 'text', limit: 'int', offset: 'int', cursor: 'cursor' },
  },
  { method: 'GET', path: 'api/v1/streets', service: 'merchant', auth: 'public' },
  { method: 'GET', path: 'api/v1/streets/:id', service: 'merchant', auth: 'public' },
  {
    method: 'POST',
    path: 'api/v1/streets',
    service: 'merchant',
    auth: 'officer',
    body: { name: 'text', wardId: 'uuid', targetBusinesses: 'int', targetDate: 'day' },
  },
  {
    method: 'PUT',
    path: 'api/v1/streets/:id/target',
    service: 'merchant',
    auth: 'officer',
    body: { targetBusinesses: 'int', targetDate: 'day' },
  },
  {
    method: 'POST',
    path: 'api/v1/merchants',
    service: 'merchant',
    auth: 'public',
    body: {
      shopName: 'text',
      ownerName: 'text',
      phone: 'text',
      taxId: 'text',
      category: 'enum',
      streetId: 'uuid',
      houseNumber: 'text',
      payoutAccounts: 'list',
    },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants',
    service: 'merchant',
    auth: 'officer',
    query: { status: 'enum', limit: 'int', offset: 'int', cursor: 'cursor' },
  },
  { method: 'GET', path: 'api/v1/merchants/:id', service: 'merchant', auth: 'self_or_officer' },
  { method: 'GET', path: 'api/v1/merchants/:id/audit-log', service: 'merchant', auth: 'officer' },
  { method: 'POST', path: 'api/v1/merchants/:id/approve', service: 'merchant', auth: 'officer', body: reason },
  { method: 'POST', path: 'api/v1/merchants/:id/reject', service: 'merchant', auth: 'officer', body: reason },
  { method: 'POST', path: 'api/v1/merchants/:id/suspend', service: 'merchant', auth: 'officer', body: reason },
  { method: 'POST', path: 'api/v1/merchants/:id/reinstate', service: 'merchant', auth: 'officer', body: reason },
  { method: 'POST', path: 'api/v1/merchants/:id/close', service: 'merchant', auth: 'officer', body: reason },
  // payment service
  {
    method: 'GET',
    path: 'api/v1/bank-notifications',
    service: 'payment',
    auth: 'officer',
    query: { date: 'day', limit: 'int', cursor: 'cursor' },
  },
  { method: 'POST', path: 'api/v1/bank-notifications/:provider', service: 'payment', auth: 'signed' },
  {
    method: 'GET',
    path: 'api/v1/unattributed-transfers',
    service: 'payment',
    auth: 'officer',
    query: { status: 'enum', limit: 'int', cursor: 'cursor' },
  },
  { method: 'GET', path: 'api/v1/unattributed-transfers/:id', service: 'payment', auth: 'officer' },
  {
    method: 'POST',
    path: 'api/v1/unattributed-transfers/:id/assign',
    service: 'payment',
    auth: 'officer',
    body: { merchantId: 'uuid', note: 'text' },
  },
  {
    method: 'POST',
    path: 'api/v1/unattributed-transfers/:id/dismiss',
    service: 'payment',
    auth: 'officer',
    body: reason,
  },
  {
    method: 'POST',
    path: 'api/v1/payment-intents',
    service: 'payment',
    auth: 'self',
    idempotent: true,
    body: { amount: 'amount', orderRef: 'text', description: 'text', expiresInSeconds: 'int' },
  },
  {
    method: 'GET',
    path: 'api/v1/payment-intents',
    service: 'payment',
    auth: 'self',
    query: {
      status: 'enum',
      orderRef: 'text',
      paymentCode: 'text',
      createdFrom: 'datetime',
      createdTo: 'datetime',
      limit: 'int',
      cursor: 'cursor',
    },
  },
  { method: 'GET', path: 'api/v1/payment-intents/:id', service: 'payment', auth: 'self' },
  { method: 'POST', path: 'api/v1/payment-intents/:id/cancel', service: 'payment', auth: 'self' },
  { method: 'GET', path: 'api/v1/merchants/:id/webhooks', service: 'payment', auth: 'self_or_officer' },
  {
    method: 'PUT',
    path: 'api/v1/merchants/:id/webhooks',
    service: 'payment',
    auth: 'self',
    body: { url: 'text', enabled: 'bool' },
  },
  { method: 'DELETE', path: 'api/v1/merchants/:id/webhooks', service: 'payment', auth: 'self' },
  { method: 'POST', path: 'api/v1/merchants/:id/webhooks/rotate-secret', service: 'payment', auth: 'self' },
  { method: 'POST', path: 'api/v1/merchants/:id/webhooks/test', service: 'payment', auth: 'self' },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/webhook-deliveries',
    service: 'payment',
    auth: 'self_or_officer',
    query: { status: 'enum', cursor: 'uuid', limit: 'int' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/webhook-deliveries/:deliveryId',
    service: 'payment',
    auth: 'self_or_officer',
  },
  {
    method: 'POST',
    path: 'api/v1/merchants/:id/webhook-deliveries/:deliveryId/redeliver',
    service: 'payment',
    auth: 'self',
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/feed',
    service: 'payment',
    auth: 'self_or_officer',
    stream: true,
    query: { lastEventId: 'text', access_token: 'text' },
  },
  // ledger service
  { method: 'GET', path: 'api/v1/ledger/reconciliation', service: 'ledger', auth: 'officer', query: { date: 'day' } },
  {
    method: 'GET',
    path: 'api/v1/ledger/reconciliation/runs',
    service: 'ledger',
    auth: 'officer',
    query: { date: 'day' },
  },
  { method: 'GET', path: 'api/v1/ledger/reconciliation/runs/:runId', service: 'ledger', auth: 'officer' },
  {
    method: 'POST',
    path: 'api/v1/ledger/refunds',
    service: 'ledger',
    auth: 'self_or_officer',
    idempotent: true,
    body: { merchantId: 'uuid', paymentId: 'uuid', notificationId: 'uuid', amount: 'amount', reason: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/balance',
    service: 'ledger',
    auth: 'self_or_officer',
    query: { asOf: 'datetime', at: 'datetime' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/statement',
    service: 'ledger',
    auth: 'self_or_officer',
    query: { date: 'day' },
  },
  {
    method: 'GET',
    path: 'api/v1/merchants/:id/statement.csv',
    service: 'ledger',
    auth: 'self_or_officer',
    query: { date: 'day' },
  },
  // analytics service
  { method: 'GET', path: 'api/v1/city/areas', service: 'analytics', auth: 'officer' },
  { method: 'GET', path: 'api/v1/city/adoption', service: 'analytics', auth: 'officer', query: range },
  {
    method: 'GET',
    path: 'api/v1/city/timeseries',
    service: 'analytics',
    auth: 'officer',
    query: { ...range, granularity: 'enum', category: 'enum', bank: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/city/breakdown',
    service: 'analytics',
    auth: 'officer',
    query: { ...range, by: 'enum' },
  },
  { method: 'GET', path: 'api/v1/city/definitions', service: 'analytics', auth: 'officer' },
  {
    method: 'POST',
    path: 'api/v1/city/campaigns',
    service: 'analytics',
    auth: 'officer',
    body: { name: 'text', startDate: 'day', endDate: 'day', monthsBefore: 'int' },
  },
  { method: 'GET', path: 'api/v1/city/campaigns', service: 'analytics', auth: 'officer' },
  { method: 'GET', path: 'api/v1/city/campaigns/:id', service: 'analytics', auth: 'officer' },
  { method: 'DELETE', path: 'api/v1/city/campaigns/:id', service: 'analytics', auth: 'officer' },
  {
    method: 'GET',
    path: 'api/v1/city/campaigns/:id/report',
    service: 'analytics',
    auth: 'officer',
    query: { streetId: 'uuid', wardId: 'uuid' },
  },
  {
    method: 'GET',
    path: 'api/v1/city/export.csv',
    service: 'analytics',
    auth: 'officer',
    query: { ...range, dataset: 'enum', granularity: 'enum', by: 'enum', category: 'enum', bank: 'text' },
  },
  {
    method: 'GET',
    path: 'api/v1/city/export.json',
    service: 'analytics',
    auth: 'officer',
    query: { ...range, dataset: 'enum', granularity: 'enum', by: 'enum', category: 'enum', bank: 'text' },
  },
];

/** Controller routes that are deliberately outside the campaign, with the reason. */
export const NOT_PUBLIC: readonly { app: string; method: string; path: string; why: string }[] = [
  { app: 'bank-sim', method: 'POST', path: 'sim/pay', why: 'sandbox bank, not behind the gateway' },
  { app: 'bank-sim', method: 'POST', path: 'sim/pay-batch', why: 'sandbox bank, not behind the gateway' },
  { app: 'bank-sim', method: 'POST', path: 'sim/load', why: 'sandbox bank, not behind the gateway' },
  { app: 'bank-sim', method: 'GET', path: 'sim/load/:id', why: 'sandbox bank, not behind the gateway' },
  { app: 'bank-sim', method: 'POST', path: 'sim/load/:id/stop', why: 'sandbox bank, not behind the gateway' },
];

export interface ScannedRoute {
  app: string;
  file: string;
  method: string;
  path: string;
}

function* jsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* jsFiles(full);
    else if (name.endsWith('.js')) yield full;
  }
}

function joinPath(...parts: string[]): string {
  return parts
    .join('/')
    .split('/')
    .filter((p) => p !== '')
    .join('/');
}

/**
 * Every HTTP route the compiled controllers under `dist/apps/<app>/src` declare, read from Nest's
 * decorator metadata. Only files that declare a controller are loaded, and never an app's
 * `main.js` (which would start the service).
 */
export function scanControllerRoutes(root: string): ScannedRoute[] {
  const load = createRequire(join(root, 'package.json'));
  const appsDir = join(root, 'dist/apps');
  const routes: ScannedRoute[] = [];
  for (const app of readdirSync(appsDir)) {
    const src = join(appsDir, app, 'src');
    if (app === 'web' || !statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const file of jsFiles(src)) {
      if (file.endsWith('/main.js') || !readFileSync(file, 'utf8').includes('Controller)(')) continue;
      const exports = load(file) as Record<string, unknown>;
      for (const value of Object.values(exports)) {
        if (typeof value !== 'function' || !Reflect.getMetadata('__controller__', value)) continue;
        const prefix = Reflect.getMetadata('path', value) as string | string[] | undefined;
        const prototype = (value as { prototype: Record<string, unknown> }).prototype;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          const method = Reflect.getMetadata('method', handler) as RequestMethod | undefined;
          if (method === undefined) continue; // a Kafka handler or a helper
          const paths = [Reflect.getMetadata('path', handler) as string | string[] | undefined].flat();
          for (const base of [prefix].flat()) {
            for (const path of paths) {
              routes.push({
                app,
                file: relative(root, file),
                method: RequestMethod[method],
                path: joinPath(base ?? '', path ?? ''),
              });
            }
          }
        }
      }
    }
  }
  return routes;
}

export interface RouteCoverage {
  scanned: number;
  /** Controller routes neither in PUBLIC_ROUTES nor in NOT_PUBLIC. */
  uncovered: ScannedRoute[];
  /** Listed routes no controller declares any more. */
  stale: string[];
}

export function routeCoverage(scanned: ScannedRoute[]): RouteCoverage {
  const key = (method: string, path: string) => `${method} ${path}`;
  const listed = new Set([...PUBLIC_ROUTES, ...NOT_PUBLIC].map((r) => key(r.method, r.path)));
  const found = new Set(scanned.map((r) => key(r.method, r.path)));
  return {
    scanned: scanned.length,
    uncovered: scanned.filter((r) => !listed.has(key(r.method, r.path))),
    stale: [...listed].filter((k) => !found.has(k)),
  };
}
