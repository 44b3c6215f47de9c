import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { signatureHeader } from '@cashless/contracts';
import { createHmac } from 'node:crypto';
import {
  AMOUNT_LITERALS,
  BAD_CURSORS,
  BAD_UUIDS,
  CONTENT_TYPES,
  INJECTIONS,
  MALFORMED_JSON,
  OPERATOR_OBJECTS,
  UNICODE_TRICKS,
  badString,
  deepJson,
  invalidUtf8,
  leakIn,
  wrongValue,
} from './fuzz-inputs';
import { PUBLIC_ROUTES } from './fuzz-routes';
import type { FieldKind, RouteSpec } from './fuzz-routes';

/**
 * The bad-input campaign against a running platform, through its gateway: every public route
 * (bench/fuzz-routes.ts) gets inputs of every class that applies to it; every answer is checked
 * (never a 5xx, no internals leaked, 4xx in the platform's error shape, authorisation holds), and
 * afterwards the services' databases are checked for half-written records.
 */

export const INPUT_CLASSES = [
  'malformed_json',
  'wrong_type',
  'missing_or_extra',
  'huge_body',
  'deep_nesting',
  'amount',
  'unicode',
  'invalid_utf8',
  'injection',
  'bad_ids',
  'query',
  'content_type',
  'headers',
  'auth',
  // bank notification endpoints only
  'forged_signature',
  'stale_timestamp',
  'replay_modified',
  'signed_garbage',
  'signed_tricks',
  'valid_and_replayed',
] as const;
export type InputClass = (typeof INPUT_CLASSES)[number];

export const BANK_PROVIDERS = ['generic', 'sepay', 'casso', 'payos'] as const;
type Provider = (typeof BANK_PROVIDERS)[number];

/** Secrets the campaign starts the platform with, so every bank feed is configured. */
export const FUZZ_BANK_SECRETS = {
  BANK_WEBHOOK_SECRET: 'fuzz-generic-webhook-secret',
  SEPAY_API_KEY: 'fuzz-sepay-api-key',
  SEPAY_WEBHOOK_SECRET: 'fuzz-sepay-hmac-secret',
  CASSO_CHECKSUM_KEY: 'fuzz-casso-checksum-key',
  PAYOS_CHECKSUM_KEY: 'fuzz-payos-checksum-key',
} as const;

export interface FuzzOptions {
  /** `http://host:port` of the gateway. */
  gateway: string;
  /** PostgreSQL server URL (`postgres://user:pass@host:port`); each service has `cashless_<service>` on it. */
  postgresUrl: string;
  seed: number;
  /** Inputs per (route, class) pair. */
  perPair: number;
  concurrency?: number;
  log?: (line: string) => void;
}

interface Merchant {
  id: string;
  apiKey: string;
  bankBin: string;
  accountNumber: string;
  payoutAccountId: string;
  boardCode: string;
}

interface Context {
  a: Merchant;
  b: Merchant;
  /** The target of the review actions (approve, suspend, close…), so A and B stay usable. */
  c: Merchant;
  officer: string;
  revokedKey: string;
  spareKeyId: string;
  streetId: string;
  wardId: string;
  provinceId: string;
  intentId: string;
  paymentCode: string;
  campaignId: string;
  unattributedId: string;
  paymentId: string;
}

interface FuzzCase {
  route: string;
  klass: InputClass;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  stream?: boolean;
  /** A failure message when the status breaks this case's own rule. */
  expect?: (status: number, json: unknown) => string | undefined;
  bank?: { provider: Provider; signed: boolean; txnId?: string };
}

export interface Failure {
  route: string;
  klass: InputClass;
  status: number;
  problem: string;
  request: string;
  response: string;
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  total: number;
  seconds: number;
  perRoute: Map<string, number>;
  perClass: Map<InputClass, number>;
  statuses: Map<number, number>;
  serverErrors: number;
  leaks: number;
  shapeViolations: number;
  failures: Failure[];
  invariants: InvariantResult[];
  bank: { accepted: number; duplicates: number; rejectedStored: number; unauthorized: number };
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(gateway: string, c: FuzzCase): Promise<Answer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    const response = await fetch(`${gateway}/${c.path}`, {
      method: c.method,
      headers: c.headers,
      body: c.body ? new Uint8Array(c.body) : undefined,
      signal: abort.signal,
      redirect: 'manual',
    });
    if (c.stream && response.status === 200) {
      abort.abort(); // a live feed: the headers are the answer
      return { status: 200, headers: response.headers, text: '' };
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

async function call(
  gateway: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> & { [k: string]: unknown } }> {
  const response = await fetch(`${gateway}/${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (a PNG, a CSV): the status is what matters here
  }
  return { status: response.status, json };
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`fuzz setup: ${what} missing`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Setup: the records the valid templates point at

async function register(gateway: string, streetId: string, n: number): Promise<Merchant> {
  const account = `0071${String(700000000 + n * 7919).slice(0, 9)}`;
  const registered = await call(gateway, 'POST', 'api/v1/merchants', {
    shopName: `Quán thử nghiệm ${n}`,
    ownerName: 'Phạm Thị Thử',
    phone: `09120${String(10000 + n).slice(-5)}`,
    taxId: '0100109106',
    category: 'food_drink',
    streetId,
    houseNumber: String(100 + n),
    payoutAccounts: [{ bankBin: '970436', accountNumber: account, accountName: 'Phạm Thị Thử' }],
  });
  if (registered.status !== 201) throw new Error(`fuzz setup: registration answered ${registered.status}`);
  const id = registered.json.id as string;
  const apiKey = registered.json.apiKey as string;
  const view = await call(gateway, 'GET', `api/v1/merchants/${id}`, undefined, apiKey);
  const payout = (view.json.payoutAccounts as { id: string; boardCode: string }[])[0];
  return {
    id,
    apiKey,
    bankBin: '970436',
    accountNumber: account,
    payoutAccountId: payout.id,
    boardCode: payout.boardCode,
  };
}

function vietnamNow(offsetMs = 0): { iso: string; local: string } {
  const at = new Date(Date.now() + offsetMs);
  const local = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  return { iso: at.toISOString(), local };
}

async function setup(gateway: string, seed: number): Promise<Context> {
  const streets = await call(gateway, 'GET', 'api/v1/streets');
  const street = must((streets.json as unknown as Record<string, unknown>[])[0], 'a street');
  const streetId = street.id as string;
  const wardId = must(
    (street.wardId as string | undefined) ?? ((street.ward as { id?: string } | undefined)?.id as string | undefined),
    'the street ward',
  );
  const officer = must(
    (await call(gateway, 'POST', 'api/v1/auth/login', { username: 'admin', password: 'admin-dev-password' })).json
      .token as string,
    'officer token',
  );
  const base = (seed % 500) * 3;
  const [a, b, c] = [
    await register(gateway, streetId, base),
    await register(gateway, streetId, base + 1),
    await register(gateway, streetId, base + 2),
  ];
  for (const m of [a, b, c]) {
    const approved = await call(gateway, 'POST', `api/v1/merchants/${m.id}/approve`, undefined, officer);
    if (approved.status !== 200) throw new Error(`fuzz setup: approval answered ${approved.status}`);
  }
  const spare = await call(gateway, 'POST', `api/v1/merchants/${a.id}/api-keys`, { label: 'spare' }, a.apiKey);
  const revoked = await call(gateway, 'POST', `api/v1/merchants/${a.id}/api-keys`, { label: 'revoked' }, a.apiKey);
  await call(
    gateway,
    'POST',
    `api/v1/merchants/${a.id}/api-keys/${revoked.json.id as string}/revoke`,
    undefined,
    a.apiKey,
  );

  // The payment service learns of approvals from Kafka: retry until it takes an intent.
  let intent: Record<string, unknown> | undefined;
  for (let attempt = 0; attempt < 150 && !intent; attempt++) {
    const created = await call(
      gateway,
      'POST',
      'api/v1/payment-intents',
      { amount: 45_000, orderRef: 'FUZZ-1' },
      a.apiKey,
      {
        'idempotency-key': `fuzz-setup-${seed}-${attempt}`,
      },
    );
    if (created.status === 201) intent = created.json;
    else await new Promise((r) => setTimeout(r, 200));
  }
  intent = must(intent, 'a payment intent (payment service never learned of the approval)');

  // A paid intent (a payment to refund) and an unknown-account transfer (an unattributed entry).
  const paid = await signedGeneric(gateway, {
    id: `fuzz-setup-paid-${seed}`,
    bankBin: a.bankBin,
    accountNumber: a.accountNumber,
    amount: 45_000,
    content: `${intent.paymentCode as string} thanh toan`,
    transferredAt: new Date().toISOString(),
  });
  const unattributed = await signedGeneric(gateway, {
    id: `fuzz-setup-unknown-${seed}`,
    bankBin: '970436',
    accountNumber: '99999999999',
    amount: 12_000,
    content: 'chuyen tien',
    transferredAt: new Date().toISOString(),
  });
  const second = await call(gateway, 'POST', 'api/v1/payment-intents', { amount: 30_000 }, a.apiKey, {
    'idempotency-key': `fuzz-setup-${seed}-second`,
  });
  const province = await call(
    gateway,
    'POST',
    'api/v1/admin-units',
    { level: 'province', name: `Tỉnh Thử ${seed}`, validFrom: '2025-07-01' },
    officer,
  );
  const campaign = await call(
    gateway,
    'POST',
    'api/v1/city/campaigns',
    { name: 'Chiến dịch thử', startDate: '2025-09-01', endDate: '2025-09-30' },
    officer,
  );
  return {
    a,
    b,
    c,
    officer,
    revokedKey: must(revoked.json.apiKey as string, 'revoked key'),
    spareKeyId: must(spare.json.id as string, 'spare key'),
    streetId,
    wardId,
    provinceId: (province.json.id as string | undefined) ?? randomUUID(),
    intentId: (second.json.id as string | undefined) ?? (intent.id as string),
    paymentCode: intent.paymentCode as string,
    campaignId: (campaign.json.id as string | undefined) ?? randomUUID(),
    unattributedId: (unattributed.unattributedId as string | undefined) ?? randomUUID(),
    paymentId: (paid.paymentId as string | undefined) ?? randomUUID(),
  };
}

async function signedGeneric(gateway: string, notification: Record<string, unknown>): Promise<Record<string, unknown>> {
  const raw = JSON.stringify(notification);
  const response = await fetch(`${gateway}/api/v1/bank-notifications/generic`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': signatureHeader(FUZZ_BANK_SECRETS.BANK_WEBHOOK_SECRET, raw),
    },
    body: raw,
  });
  if (response.status !== 200) throw new Error(`fuzz setup: notification answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Valid templates: one field at a time is broken, so inputs reach past the first check

function validParam(route: RouteSpec, name: string, ctx: Context): string {
  if (name === 'id') {
    if (route.path.startsWith('api/v1/streets')) return ctx.streetId;
    if (route.path.startsWith('api/v1/admin-units')) return ctx.provinceId;
    if (route.path.startsWith('api/v1/unattributed-transfers')) return ctx.unattributedId;
    if (route.path.startsWith('api/v1/payment-intents')) return ctx.intentId;
    if (route.path.startsWith('api/v1/city/campaigns')) return ctx.campaignId;
    if (/\/(approve|reject|suspend|reinstate|close)$/.test(route.path)) return ctx.c.id;
    return ctx.a.id;
  }
  if (name === 'keyId') return ctx.spareKeyId;
  if (name === 'accountId') return ctx.a.payoutAccountId;
  if (name === 'boardCode') return ctx.a.boardCode;
  if (name === 'provider') return 'generic';
  return randomUUID(); // deliveryId, runId: no such record, a 404 is the right answer
}

function today(): string {
  return vietnamNow().local.slice(0, 10);
}

function validBody(route: RouteSpec, ctx: Context): Record<string, unknown> | undefined {
  switch (`${route.method} ${route.path}`) {
    case 'POST api/v1/auth/login':
      return { username: 'admin', password: 'wrong-password' };
    case 'POST api/v1/admin-units':
      return { level: 'ward', name: 'Phường Thử', kind: 'phường', parentId: ctx.provinceId, validFrom: '2025-07-01' };
    case 'POST api/v1/admin-units/:id/end':
      return { validTo: '2025-12-31', successorIds: [randomUUID()] };
    case 'POST api/v1/merchants/:id/api-keys':
      return { label: 'Máy POS quầy 2' };
    case 'POST api/v1/merchants/:id/password':
      return { password: 'Mật-khẩu-rất-dài-2025', currentPassword: 'not-the-current-one' };
    case 'POST api/v1/merchants/:id/payout-accounts':
      return { bankBin: '970422', accountNumber: '0987000111222', accountName: 'Phạm Thị Thử' };
    case 'PUT api/v1/merchants/:id/payout-accounts/:accountId':
      return { accountName: 'Phạm Thị Thử', active: true };
    case 'POST api/v1/boards/verify':
      return {
        payload: '00020101021138570010A000000727012700069704360113007100033377702080000000053037045802VN6304ABCD',
      };
    case 'POST api/v1/boards/:boardCode/report':
      return { reason: 'qr_swapped', note: 'Mã QR lạ', reporterContact: '0912000000' };
    case 'POST api/v1/streets':
      return { name: 'Đường Thử', wardId: ctx.wardId, targetBusinesses: 10, targetDate: '2026-12-31' };
    case 'PUT api/v1/streets/:id/target':
      return { targetBusinesses: 40, targetDate: '2026-12-31' };
    case 'POST api/v1/merchants':
      return {
        shopName: 'Tạp hoá Thử',
        ownerName: 'Lê Văn Thử',
        phone: '0912345678',
        taxId: '0100109106',
        category: 'grocery',
        streetId: ctx.streetId,
        houseNumber: '9A',
        payoutAccounts: [{ bankBin: '970436', accountNumber: '0071000999888', accountName: 'Lê Văn Thử' }],
      };
    case 'POST api/v1/merchants/:id/approve':
    case 'POST api/v1/merchants/:id/reject':
    case 'POST api/v1/merchants/:id/suspend':
    case 'POST api/v1/merchants/:id/reinstate':
    case 'POST api/v1/merchants/:id/close':
      return { reason: 'Kiểm tra định kỳ' };
    case 'POST api/v1/unattributed-transfers/:id/assign':
      return { merchantId: ctx.a.id, note: 'Khách chuyển nhầm nội dung' };
    case 'POST api/v1/unattributed-transfers/:id/dismiss':
      return { reason: 'Chuyển khoản thử' };
    case 'POST api/v1/payment-intents':
      return { amount: 50_000, orderRef: 'BAN-1', description: 'Bún chả', expiresInSeconds: 600 };
    case 'PUT api/v1/merchants/:id/webhooks':
      return { url: 'https://shop.example.invalid/hook', enabled: false };
    case 'POST api/v1/ledger/refunds':
      return { merchantId: ctx.a.id, paymentId: ctx.paymentId, amount: 1_000, reason: 'Khách trả hàng' };
    case 'POST api/v1/city/campaigns':
      return { name: 'Tuần lễ không tiền mặt', startDate: '2025-10-01', endDate: '2025-10-07', monthsBefore: 2 };
    default:
      return route.body ? {} : undefined;
  }
}

function validQuery(route: RouteSpec, ctx: Context): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [name, kind] of Object.entries(route.query ?? {})) {
    if (name === 'date' || (kind === 'day' && name !== 'from' && name !== 'to')) q[name] = today();
    else if (name === 'limit') q[name] = '5';
  }
  if (route.path === 'api/v1/city/breakdown') q.by = 'category';
  if (route.path.endsWith('/campaigns/:id/report')) q.streetId = ctx.streetId;
  return q;
}

function validAuth(route: RouteSpec, ctx: Context): Record<string, string> {
  if (route.auth === 'public' || route.auth === 'signed') return {};
  if (route.auth === 'officer') return { authorization: `Bearer ${ctx.officer}` };
  return { authorization: `Bearer ${ctx.a.apiKey}` };
}

function fillPath(route: RouteSpec, ctx: Context, override: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    name in override ? override[name] : pct(validParam(route, name, ctx)),
  );
}

function withQuery(path: string, query: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    for (const one of [v].flat()) parts.push(`${pct(k)}=${pct(one)}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

// ---------------------------------------------------------------------------------------------
// Case generators per class

const JSON_TYPE = { 'content-type': 'application/json' };
const enc = (v: unknown) => Buffer.from(JSON.stringify(v));
const routeKey = (r: RouteSpec) => `${r.method} /${r.path}`;

function hasBody(route: RouteSpec): boolean {
  return route.body !== undefined;
}

function isAuthenticated(route: RouteSpec): boolean {
  return route.auth !== 'public' && route.auth !== 'signed';
}

function applicable(route: RouteSpec): InputClass[] {
  if (route.auth === 'signed') {
    return [
      'malformed_json',
      'huge_body',
      'deep_nesting',
      'invalid_utf8',
      'content_type',
      'headers',
      'forged_signature',
      'stale_timestamp',
      'replay_modified',
      'signed_garbage',
      'signed_tricks',
      'valid_and_replayed',
    ];
  }
  const classes: InputClass[] = ['headers'];
  if (route.method !== 'GET' && route.method !== 'DELETE')
    classes.push('malformed_json', 'huge_body', 'content_type', 'deep_nesting', 'invalid_utf8');
  if (hasBody(route)) classes.push('wrong_type', 'missing_or_extra');
  if (Object.values({ ...route.body, ...route.query }).some((k) => k === 'amount' || k === 'int'))
    classes.push('amount');
  const textFields = Object.values({ ...route.body, ...route.query }).some((k) => k !== 'bool');
  const params = /:[A-Za-z]+/.test(route.path);
  if (textFields || params) classes.push('unicode', 'injection');
  if (params || Object.values(route.query ?? {}).some((k) => k === 'uuid' || k === 'cursor')) classes.push('bad_ids');
  classes.push('query');
  if (isAuthenticated(route)) classes.push('auth');
  return classes;
}

/** A request of the route with everything valid; `mutate` breaks one thing. */
function baseCase(route: RouteSpec, ctx: Context, klass: InputClass): FuzzCase {
  const body = validBody(route, ctx);
  return {
    route: routeKey(route),
    klass,
    method: route.method,
    path: withQuery(fillPath(route, ctx), validQuery(route, ctx)),
    headers: {
      ...validAuth(route, ctx),
      ...(body ? JSON_TYPE : {}),
      ...(route.idempotent ? { 'idempotency-key': `fuzz-${randomUUID()}` } : {}),
    },
    body: body ? enc(body) : undefined,
    stream: route.stream,
  };
}

const MAX_HUGE = 300 * 1024;

function arbitraryFor(route: RouteSpec, klass: InputClass, ctx: Context): fc.Arbitrary<FuzzCase> {
  const fields = Object.entries(route.body ?? {}) as [string, FieldKind][];
  const queryFields = Object.entries(route.query ?? {}) as [string, FieldKind][];
  const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const make = (f: (c: FuzzCase, body: Record<string, unknown> | undefined) => void) => {
    const c = baseCase(route, ctx, klass);
    f(c, validBody(route, ctx));
    return c;
  };
  switch (klass) {
    case 'malformed_json':
      return fc
        .oneof(
          fc.constantFrom(...MALFORMED_JSON),
          fc.nat({ max: 400 }).map((cut) => JSON.stringify(validBody(route, ctx) ?? { a: 1 }).slice(0, cut)),
          fc.string({ unit: 'binary', maxLength: 200 }),
        )
        .map((text) =>
          make((c) => {
            c.body = Buffer.from(text);
            c.headers['content-type'] = 'application/json';
          }),
        );
    case 'wrong_type':
      return fc
        .constantFrom(...fields)
        .chain(([name, kind]) => wrongValue(kind).map((value) => ({ name, value })))
        .map(({ name, value }) =>
          make((c, body) => {
            c.body = enc({ ...body, [name]: value });
          }),
        );
    case 'missing_or_extra':
      return fc
        .oneof(
          fc.constantFrom(...fields.map(([n]) => ({ drop: n }))),
          fc.record({
            extra: fc.oneof(
              fc.string({ maxLength: 30 }),
              fc.constantFrom('__proto__', 'constructor', 'id', 'status', 'merchantId', 'role'),
            ),
            value: fc.jsonValue({ maxDepth: 2 }),
          }),
          fc.constantFrom(
            { whole: null },
            { whole: [] },
            { whole: 'text' },
            { whole: 0 },
            { whole: {} },
            { whole: [{}] },
          ),
        )
        .map((m) =>
          make((c, body) => {
            if ('drop' in m) {
              const copy = { ...body };
              delete copy[m.drop];
              c.body = enc(copy);
            } else if ('extra' in m) {
              // Written as text: a `__proto__` key must reach the server as a key, not a prototype.
              const text = JSON.stringify(body ?? {});
              const extra = `${JSON.stringify(m.extra)}:${JSON.stringify(m.value ?? null)}`;
              c.body = Buffer.from(text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`);
            } else {
              c.body = enc(m.whole);
            }
          }),
        );
    case 'huge_body':
      return fc.integer({ min: MAX_HUGE, max: MAX_HUGE + 200_000 }).map((size) =>
        make((c, body) => {
          const field = fields.find(([, k]) => k === 'text')?.[0] ?? 'padding';
          c.body = enc({ ...body, [field]: 'á'.repeat(size / 2) });
          c.expect = (status) =>
            status === 413 ? undefined : `a body of ${c.body!.length} bytes answered ${status}, not 413`;
        }),
      );
    case 'deep_nesting':
      return fc
        .record({
          depth: fc.integer({ min: 1_000, max: 20_000 }),
          kind: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
          inField: fc.boolean(),
        })
        .map(({ depth, kind, inField }) =>
          make((c, body) => {
            const deep = deepJson(depth, kind);
            if (inField && fields.length) {
              const text = JSON.stringify({ ...body, [fields[0][0]]: '__DEEP__' });
              c.body = Buffer.from(text.replace('"__DEEP__"', deep));
            } else c.body = Buffer.from(deep);
          }),
        );
    case 'amount': {
      const numeric = [...fields, ...queryFields].filter(([, k]) => k === 'amount' || k === 'int');
      return fc
        .record({
          field: fc.constantFrom(...numeric),
          literal: fc.oneof(
            fc.constantFrom(...AMOUNT_LITERALS),
            fc.double().map((d) => (Number.isFinite(d) ? String(d) : '"x"')),
          ),
        })
        .map(({ field: [name], literal }) =>
          make((c, body) => {
            if (route.body && name in route.body) {
              const text = JSON.stringify({ ...body, [name]: '__AMOUNT__' });
              c.body = Buffer.from(text.replace('"__AMOUNT__"', literal));
            } else {
              const value = literal.startsWith('"') ? (JSON.parse(literal) as string) : literal;
              c.path = withQuery(fillPath(route, ctx), { ...validQuery(route, ctx), [name]: value });
            }
          }),
        );
    }
    case 'unicode':
    case 'injection': {
      const values: fc.Arbitrary<unknown> =
        klass === 'unicode'
          ? fc.oneof(fc.constantFrom(...UNICODE_TRICKS), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }))
          : fc.oneof(fc.constantFrom(...INJECTIONS), fc.constantFrom(...OPERATOR_OBJECTS));
      const targets: ('body' | 'query' | 'param')[] = [];
      if (fields.length) targets.push('body');
      if (queryFields.length) targets.push('query');
      if (params.length) targets.push('param');
      return fc
        .record({ target: fc.constantFrom(...targets), value: values, pick: fc.nat() })
        .map(({ target, value, pick }) =>
          make((c, body) => {
            if (target === 'body') {
              const [name] = fields[pick % fields.length];
              c.body = enc({ ...body, [name]: value });
            } else if (target === 'query') {
              const [name] = queryFields[pick % queryFields.length];
              const text = typeof value === 'string' ? value : JSON.stringify(value);
              c.path = withQuery(fillPath(route, ctx), { ...validQuery(route, ctx), [name]: text });
            } else {
              const name = params[pick % params.length];
              const text = typeof value === 'string' ? value : JSON.stringify(value);
              c.path = withQuery(fillPath(route, ctx, { [name]: pct(text) }), validQuery(route, ctx));
            }
          }),
        );
    }
    case 'invalid_utf8':
      return fc.record({ bytes: invalidUtf8, at: fc.nat() }).map(({ bytes, at }) =>
        make((c, body) => {
          const text = Buffer.from(JSON.stringify(body ?? { value: 'x' }));
          // Inside the first string value when there is one, else anywhere.
          const quote = text.indexOf('":"');
          const cut = quote > 0 ? quote + 3 : at % (text.length + 1);
          c.body = Buffer.concat([text.subarray(0, cut), bytes, text.subarray(cut)]);
        }),
      );
    case 'bad_ids': {
      const idQueries = queryFields.filter(([, k]) => k === 'uuid' || k === 'cursor');
      return fc
        .record({
          value: fc.oneof(
            fc.constantFrom(...BAD_UUIDS),
            fc.constantFrom(...BAD_CURSORS.map(encodeURIComponent)),
            fc.uuid(),
          ),
          pick: fc.nat(),
          inQuery: fc.boolean(),
        })
        .map(({ value, pick, inQuery }) =>
          make((c) => {
            if ((inQuery || !params.length) && idQueries.length) {
              const [name, kind] = idQueries[pick % idQueries.length];
              const raw = kind === 'cursor' ? BAD_CURSORS[pick % BAD_CURSORS.length] : decodeURIComponentSafe(value);
              c.path = withQuery(fillPath(route, ctx), { ...validQuery(route, ctx), [name]: raw });
            } else {
              const name = params[pick % params.length];
              c.path = withQuery(fillPath(route, ctx, { [name]: value }), validQuery(route, ctx));
            }
          }),
        );
    }
    case 'query':
      return fc
        .oneof(
          // The same parameter twice arrives as an array.
          fc
            .constantFrom(...(queryFields.length ? queryFields.map(([n]) => n) : ['limit']))
            .map((n) => ({ [n]: ['1', '2'] })),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(badString, fc.constant('')), {
            maxKeys: 3,
          }),
          fc.constantFrom(
            { 'a[b]': '1' },
            { 'limit[$gt]': '0' },
            { __proto__x: '1' },
            { limit: '-1' },
            { limit: '1e400' },
            { limit: '0x10' },
            { offset: '99999999999' },
          ),
        )
        .map((extra) =>
          make((c) => {
            c.path = withQuery(fillPath(route, ctx), {
              ...validQuery(route, ctx),
              ...(extra as Record<string, string | string[]>),
            });
          }),
        );
    case 'content_type':
      return fc.constantFrom(...CONTENT_TYPES).map((type) =>
        make((c) => {
          if (!c.body) c.body = Buffer.from('{}');
          if (type === undefined) delete c.headers['content-type'];
          else c.headers['content-type'] = type;
        }),
      );
    case 'headers':
      return fc
        .oneof(
          fc.constantFrom(
            { 'x-request-id': "'; DROP TABLE x; --" },
            { 'x-request-id': 'a'.repeat(500) },
            { 'x-forwarded-for': '127.0.0.1, ::1, not-an-ip' },
            { 'x-forwarded-host': 'evil.example' },
            { accept: 'application/xml' },
            { accept: '*/*;q=0.1, text/html' },
            { 'accept-encoding': 'br, gzip, deflate, identity;q=0' },
            { 'last-event-id': '-1' },
            { 'last-event-id': '99999999999999999999999' },
            { 'idempotency-key': '' },
            { 'idempotency-key': 'k'.repeat(300) },
            { 'idempotency-key': 'khóa-tiếng-việt' },
            { 'if-none-match': '*' },
            { range: 'bytes=0-1' },
            { 'content-encoding': 'gzip' },
            { 'x-http-method-override': 'DELETE' },
            { cookie: 'a=b; '.repeat(100) },
            { 'user-agent': 'x'.repeat(6000) },
          ),
          fc
            .record({
              name: fc.constantFrom('x-request-id', 'idempotency-key', 'last-event-id', 'x-signature', 'referer'),
              value: fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
            })
            .map(({ name, value }) => ({ [name]: value.replace(/[\r\n]/g, ' ') })),
        )
        .map((extra) =>
          make((c) => {
            Object.assign(c.headers, extra);
            // A gzip label on a plain body: the server must refuse it, not crash inflating it.
            if ('content-encoding' in extra && !c.body) delete c.headers['content-encoding'];
          }),
        );
    case 'auth':
      return fc
        .oneof(
          fc.constantFrom(
            'none',
            'garbage',
            'empty',
            'basic',
            'long',
            'revoked',
            'tampered',
            'other_merchant',
            'wrong_role',
            'query_token',
          ),
          fc.string({ unit: 'grapheme-ascii', maxLength: 80 }).map((s) => `raw:${s}`),
        )
        .map((kind) =>
          make((c) => {
            const officer = route.auth === 'officer';
            switch (kind) {
              case 'none':
                delete c.headers.authorization;
                break;
              case 'garbage':
                c.headers.authorization = 'Bearer csk_000000000000000000000000000000';
                break;
              case 'empty':
                c.headers.authorization = 'Bearer ';
                break;
              case 'basic':
                c.headers.authorization = `Basic ${Buffer.from('admin:admin-dev-password').toString('base64')}`;
                break;
              case 'long':
                c.headers.authorization = `Bearer ${'a'.repeat(4000)}`;
                break;
              case 'revoked':
                c.headers.authorization = `Bearer ${ctx.revokedKey}`;
                break;
              case 'tampered': {
                const token = officer ? ctx.officer : ctx.a.apiKey;
                const flip = token.at(-2) === 'A' ? 'B' : 'A';
                c.headers.authorization = `Bearer ${token.slice(0, -2)}${flip}${token.at(-1)}`;
                break;
              }
              case 'other_merchant':
                c.headers.authorization = `Bearer ${ctx.b.apiKey}`;
                break;
              case 'wrong_role':
                c.headers.authorization = `Bearer ${officer ? ctx.a.apiKey : ctx.officer}`;
                break;
              case 'query_token':
                delete c.headers.authorization;
                c.path = `${c.path}${c.path.includes('?') ? '&' : '?'}access_token=${pct(ctx.revokedKey)}`;
                break;
              default:
                c.headers.authorization = kind.slice(4).replace(/[\r\n]/g, '');
            }
            c.expect = (status) => authRule(route, kind, status);
          }),
        );
    default:
      throw new Error(`no generator for ${klass} on ${routeKey(route)}`);
  }
}

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as on the wire). */
function pct(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What an answer to a bad credential must be. */
function authRule(route: RouteSpec, kind: string, status: number): string | undefined {
  const ok = status >= 200 && status < 300;
  if (
    ['none', 'garbage', 'empty', 'basic', 'long', 'revoked', 'tampered', 'query_token'].includes(kind) ||
    kind.startsWith('raw:')
  ) {
    return status === 401 ? undefined : `credential "${kind.slice(0, 40)}" answered ${status}, not 401`;
  }
  if (kind === 'other_merchant' && ok) {
    // B may use routes that are not about merchant A: its own intents list, the principal…
    const aboutA = /:id/.test(route.path) || route.auth === 'officer';
    if (aboutA) return `another merchant's key was accepted (${status})`;
  }
  if (kind === 'wrong_role' && ok) {
    if (route.auth === 'officer' || route.auth === 'self') return `the wrong role was accepted (${status})`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Bank notification endpoints

interface Signed {
  body: Buffer;
  headers: Record<string, string>;
}

function providerPayload(
  provider: Provider,
  txnId: string,
  ctx: Context,
  override: Record<string, unknown> = {},
): unknown {
  const now = vietnamNow();
  const content = `${ctx.paymentCode} chuyen tien`;
  switch (provider) {
    case 'generic':
      return {
        id: txnId,
        bankBin: ctx.b.bankBin,
        accountNumber: ctx.b.accountNumber,
        amount: 15_000,
        content,
        transferredAt: now.iso,
        payerName: 'NGUYEN VAN KHACH',
        ...override,
      };
    case 'sepay':
      return {
        id: txnId,
        gateway: 'Vietcombank',
        transactionDate: now.local,
        accountNumber: ctx.b.accountNumber,
        content,
        transferType: 'in',
        transferAmount: 15_000,
        referenceCode: 'FT25',
        ...override,
      };
    case 'casso':
      return {
        error: 0,
        data: {
          id: txnId,
          description: content,
          amount: 15_000,
          transactionDateTime: now.local,
          accountNumber: ctx.b.accountNumber,
          bankAbbreviation: 'VCB',
          ...override,
        },
      };
    case 'payos':
      return {
        code: '00',
        desc: 'success',
        success: true,
        data: {
          amount: 15_000,
          description: content,
          accountNumber: ctx.b.accountNumber,
          reference: txnId.slice(0, 60),
          transactionDateTime: now.local,
          currency: 'VND',
          ...override,
        },
      };
  }
}

function payosSigned(data: Record<string, unknown>): string {
  const text = Object.keys(data)
    .sort()
    .map((key) => {
      let value = data[key];
      if (Array.isArray(value)) value = JSON.stringify(value);
      if (value === null || value === undefined || value === 'null' || value === 'undefined') value = '';
      return `${key}=${String(value)}`;
    })
    .join('&');
  return createHmac('sha256', FUZZ_BANK_SECRETS.PAYOS_CHECKSUM_KEY).update(text).digest('hex');
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
  );
}

/** Signs `payload` the way `provider` does; `raw` bytes are signed as they are where the scheme allows. */
function sign(provider: Provider, payload: unknown, options: { raw?: Buffer; atMs?: number } = {}): Signed {
  const at = options.atMs ?? Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (provider) {
    case 'generic': {
      const body = options.raw ?? enc(payload);
      headers['x-signature'] = signatureHeader(FUZZ_BANK_SECRETS.BANK_WEBHOOK_SECRET, body, Math.floor(at / 1000));
      return { body, headers };
    }
    case 'sepay': {
      const body = options.raw ?? enc(payload);
      const t = String(Math.floor(at / 1000));
      headers['x-sepay-timestamp'] = t;
      headers['x-sepay-signature'] =
        `sha256=${createHmac('sha256', FUZZ_BANK_SECRETS.SEPAY_WEBHOOK_SECRET).update(`${t}.`).update(body).digest('hex')}`;
      return { body, headers };
    }
    case 'casso': {
      const body = options.raw ?? enc(payload);
      const t = String(at);
      const message = options.raw
        ? Buffer.concat([Buffer.from(`${t}.`), body])
        : `${t}.${JSON.stringify(sortDeep(payload))}`;
      headers['x-casso-signature'] =
        `t=${t},v1=${createHmac('sha512', FUZZ_BANK_SECRETS.CASSO_CHECKSUM_KEY).update(message).digest('hex')}`;
      return { body, headers };
    }
    case 'payos': {
      const p = payload as { data?: unknown };
      const data =
        p && typeof p === 'object' && p.data && typeof p.data === 'object' && !Array.isArray(p.data)
          ? (p.data as Record<string, unknown>)
          : {};
      return { body: options.raw ?? enc({ ...(p as object), signature: payosSigned(data) }), headers };
    }
  }
}

/** The txn id field of a provider's payload, for modifying a signed body. */
function mutatePayload(
  provider: Provider,
  payload: unknown,
  change: (target: Record<string, unknown>) => void,
): unknown {
  const copy = JSON.parse(JSON.stringify(payload)) as Record<string, unknown>;
  change(provider === 'casso' || provider === 'payos' ? (copy.data as Record<string, unknown>) : copy);
  return copy;
}

function bankArbitrary(provider: Provider, klass: InputClass, ctx: Context, seed: number): fc.Arbitrary<FuzzCase> {
  const route = `POST /api/v1/bank-notifications/${provider}`;
  const base = (txnId: string, signed: Signed, rule?: FuzzCase['expect'], isSigned = true): FuzzCase => ({
    route,
    klass,
    method: 'POST',
    path: `api/v1/bank-notifications/${provider}`,
    headers: signed.headers,
    body: signed.body,
    expect: rule,
    bank: { provider, signed: isSigned, txnId },
  });
  const txn = fc.nat().map((n) => `fuzz-${seed}-${klass}-${n}-${randomUUID().slice(0, 8)}`);
  const is401 = (what: string) => (status: number) =>
    status === 401 ? undefined : `${what} answered ${status}, not 401`;
  const notAccepted = (what: string) => (status: number) => (status === 200 ? `${what} was accepted` : undefined);
  switch (klass) {
    case 'forged_signature':
      return fc
        .record({
          id: txn,
          how: fc.constantFrom('wrong_key', 'garbage', 'missing', 'truncated', 'uppercase_prefix', 'other_provider'),
        })
        .map(({ id, how }) => {
          const forgedId = `forged-${id}`;
          const payload = providerPayload(provider, forgedId, ctx);
          const signed = sign(provider, payload);
          const body = signed.body;
          const headers = { ...signed.headers };
          switch (how) {
            case 'wrong_key':
              if (provider === 'generic') headers['x-signature'] = signatureHeader('not-the-real-secret', body);
              if (provider === 'sepay')
                headers['x-sepay-signature'] = `sha256=${createHmac('sha256', 'nope').update('x').digest('hex')}`;
              if (provider === 'casso') headers['x-casso-signature'] = `t=${Date.now()},v1=${'ab'.repeat(64)}`;
              if (provider === 'payos')
                return base(
                  forgedId,
                  { body: enc({ ...(payload as object), signature: 'ab'.repeat(32) }), headers },
                  is401('a forged signature'),
                  false,
                );
              break;
            case 'garbage':
              for (const h of ['x-signature', 'x-sepay-signature', 'x-casso-signature'])
                headers[h] = "t=1,v1=' OR 1=1 --";
              if (provider === 'payos')
                return base(
                  forgedId,
                  { body: enc({ ...(payload as object), signature: { $ne: null } }), headers },
                  is401('a garbage signature'),
                  false,
                );
              break;
            case 'missing':
              delete headers['x-signature'];
              delete headers['x-sepay-signature'];
              delete headers['x-casso-signature'];
              if (provider === 'payos')
                return base(forgedId, { body: enc(payload), headers }, is401('a missing signature'), false);
              break;
            case 'truncated':
              for (const h of ['x-signature', 'x-sepay-signature', 'x-casso-signature'])
                if (headers[h]) headers[h] = headers[h].slice(0, -3);
              if (provider === 'payos') {
                const full = JSON.parse(body.toString()) as { signature: string };
                return base(
                  forgedId,
                  { body: enc({ ...full, signature: full.signature.slice(0, -2) }), headers },
                  is401('a truncated signature'),
                  false,
                );
              }
              break;
            case 'uppercase_prefix':
              if (provider === 'sepay') headers.authorization = 'Apikey wrong-key-value';
              for (const h of ['x-signature', 'x-casso-signature'])
                if (headers[h]) headers[h] = headers[h].replace(/v1=./, 'v1=0');
              if (provider === 'sepay') headers['x-sepay-signature'] = headers['x-sepay-signature'].replace(/=./, '=0');
              if (provider === 'payos') {
                const full = JSON.parse(body.toString()) as { signature: string };
                return base(
                  forgedId,
                  {
                    body: enc({
                      ...full,
                      signature:
                        `0${full.signature.slice(1)}` === full.signature
                          ? `1${full.signature.slice(1)}`
                          : `0${full.signature.slice(1)}`,
                    }),
                    headers,
                  },
                  is401('a forged signature'),
                  false,
                );
              }
              break;
            case 'other_provider': {
              // A signature valid for another feed's secret.
              const other = sign(provider === 'generic' ? 'sepay' : 'generic', payload);
              for (const h of ['x-signature', 'x-sepay-signature', 'x-casso-signature']) delete headers[h];
              Object.assign(headers, other.headers);
              if (provider === 'payos')
                return base(
                  forgedId,
                  {
                    body: enc({
                      ...(payload as object),
                      signature: createHmac('sha256', FUZZ_BANK_SECRETS.BANK_WEBHOOK_SECRET).update('x').digest('hex'),
                    }),
                    headers,
                  },
                  is401('a signature of another feed'),
                  false,
                );
              break;
            }
          }
          return base(forgedId, { body, headers }, is401(`a forged signature (${how})`), false);
        });
    case 'stale_timestamp':
      return fc
        .record({
          id: txn,
          ageS: fc.oneof(fc.integer({ min: 301, max: 10 ** 7 }), fc.integer({ min: -(10 ** 7), max: -1_800 })),
        })
        .map(({ id, ageS }) => {
          const forgedId = `forged-${id}`;
          const payload = providerPayload(provider, forgedId, ctx);
          const signed = sign(provider, payload, { atMs: Date.now() - ageS * 1000 });
          // payOS signs no timestamp: a stale request is indistinguishable; it must at least not be a 5xx.
          if (provider === 'payos') return base(id, sign(provider, providerPayload(provider, id, ctx)));
          return base(forgedId, signed, is401('a stale timestamp'), false);
        });
    case 'replay_modified':
      return fc
        .record({ id: txn, change: fc.constantFrom('amount', 'account', 'content', 'id', 'extra') })
        .map(({ id, change }) => {
          const forgedId = `forged-${id}`;
          const payload = providerPayload(provider, forgedId, ctx);
          const signed = sign(provider, payload);
          const amountKey = provider === 'sepay' ? 'transferAmount' : 'amount';
          const original = JSON.parse(signed.body.toString()) as Record<string, unknown>;
          const modified = mutatePayload(provider, original, (t) => {
            if (change === 'amount') t[amountKey] = 15_000_000;
            if (change === 'account') t.accountNumber = ctx.a.accountNumber;
            if (change === 'content')
              t[provider === 'generic' || provider === 'sepay' ? 'content' : 'description'] = 'khac';
            if (change === 'id') t[provider === 'payos' ? 'reference' : 'id'] = `${forgedId}-2`;
            if (change === 'extra') t.injected = true;
          });
          // Casso and payOS sign parsed JSON: an added unknown key changes what they sign too.
          return base(
            forgedId,
            { body: enc(modified), headers: signed.headers },
            is401(`a replay with a modified ${change}`),
            false,
          );
        });
    case 'signed_garbage':
      return fc
        .record({
          id: txn,
          garbage: fc.oneof(
            fc.constantFrom(...MALFORMED_JSON.filter((s) => s !== '')),
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
          ),
        })
        .map(({ id, garbage }) => {
          const raw = Buffer.from(garbage);
          if (provider === 'payos') {
            // payOS signs `data`: a well-signed body whose data is not a transfer.
            let data: Record<string, unknown> = { note: garbage, ref: id };
            try {
              const parsed = JSON.parse(garbage) as unknown;
              if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
                data = parsed as Record<string, unknown>;
            } catch {
              // not JSON: carried as a string in data
            }
            const signed = sign('payos', { data });
            return base(id, signed, notAccepted('a signed garbage notification'));
          }
          // Casso signs parsed JSON or the raw bytes; both are valid for garbage bytes.
          const signed = sign(provider, undefined, { raw });
          return base(id, signed, notAccepted('a signed garbage notification'));
        });
    case 'signed_tricks':
      return fc
        .record({
          id: txn,
          field: fc.constantFrom(
            'content',
            'payerName',
            'reference',
            'accountNumber',
            'id',
            'amount',
            'transferredAt',
            'bankBin',
          ),
          value: fc.oneof(
            fc.constantFrom(...UNICODE_TRICKS, ...INJECTIONS),
            fc.constantFrom(...OPERATOR_OBJECTS),
            wrongValue('amount'),
            badString,
          ),
          deep: fc.option(fc.integer({ min: 2_000, max: 20_000 }), { freq: 4 }),
        })
        .map(({ id, field, value, deep }) => {
          const names: Record<Provider, Record<string, string>> = {
            generic: {},
            sepay: {
              payerName: 'gateway',
              reference: 'referenceCode',
              amount: 'transferAmount',
              transferredAt: 'transactionDate',
              bankBin: 'gateway',
            },
            casso: {
              content: 'description',
              payerName: 'counterAccountName',
              transferredAt: 'transactionDateTime',
              bankBin: 'bankName',
            },
            payos: {
              content: 'description',
              payerName: 'counterAccountName',
              id: 'reference',
              transferredAt: 'transactionDateTime',
              bankBin: 'currency',
            },
          };
          const key = names[provider][field] ?? field;
          const payload = mutatePayload(provider, providerPayload(provider, id, ctx), (t) => {
            t[key] = value;
          });
          if (deep !== null) {
            // A signed body whose value nests thousands of levels deep.
            const text = JSON.stringify(mutatePayload(provider, payload, (t) => (t[key] = '__DEEP__')));
            const raw = Buffer.from(text.replace('"__DEEP__"', deepJson(deep, 'array')));
            if (provider === 'payos') {
              // payOS signs the data re-serialised, which no signer can do this deep: refused as malformed.
              return base(
                id,
                {
                  body: Buffer.from(
                    text
                      .replace('"__DEEP__"', deepJson(deep, 'array'))
                      .replace(/}$/, `,"signature":"${'ab'.repeat(32)}"}`),
                  ),
                  headers: { 'content-type': 'application/json' },
                },
                (status) =>
                  status === 401 ? undefined : `a payOS body nested ${deep} deep answered ${status}, not 401`,
                false,
              );
            }
            return base(id, sign(provider, undefined, { raw }));
          }
          return base(id, sign(provider, payload));
        });
    case 'valid_and_replayed':
      return txn.map((id) => {
        const c = base(id, sign(provider, providerPayload(provider, id, ctx)), (status) =>
          status === 200 ? undefined : `a valid notification answered ${status}`,
        );
        return c;
      });
    case 'malformed_json':
      return fc
        .constantFrom(...MALFORMED_JSON)
        .map((text) =>
          base(
            '',
            { body: Buffer.from(text), headers: { 'content-type': 'application/json' } },
            is401('an unsigned body'),
            false,
          ),
        );
    case 'huge_body':
      return fc.integer({ min: 64 * 1024 + 1, max: MAX_HUGE + 100_000 }).map((size) => {
        const payload = providerPayload(provider, `huge-${size}`, ctx, { content: 'x'.repeat(size) });
        const signed = sign(provider, payload);
        return base(
          '',
          signed,
          (status) =>
            status === 413 ? undefined : `a ${signed.body.length}-byte notification answered ${status}, not 413`,
          false,
        );
      });
    case 'deep_nesting':
      return fc
        .record({
          depth: fc.integer({ min: 1_000, max: 30_000 }),
          kind: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
        })
        .map(({ depth, kind }) => {
          const body = Buffer.from(deepJson(depth, kind));
          const limit = body.length > 64 * 1024 ? 413 : 401;
          return base(
            '',
            { body, headers: { 'content-type': 'application/json' } },
            (status) =>
              status === limit
                ? undefined
                : `an unsigned deep body of ${body.length} bytes answered ${status}, not ${limit}`,
            false,
          );
        });
    case 'invalid_utf8':
      return fc.record({ id: txn, bytes: invalidUtf8 }).map(({ id, bytes }) => {
        const text = JSON.stringify(providerPayload(provider, id, ctx));
        const cut = text.indexOf('chuyen');
        const raw = Buffer.concat([Buffer.from(text.slice(0, cut)), bytes, Buffer.from(text.slice(cut))]);
        // Signed over the exact bytes (payOS over the parsed data).
        if (provider === 'payos') {
          const parsed = JSON.parse(raw.toString()) as { data: Record<string, unknown> };
          return base(id, {
            body: Buffer.concat([
              raw.subarray(0, raw.length - 1),
              Buffer.from(`,"signature":"${payosSigned(parsed.data)}"}`),
            ]),
            headers: { 'content-type': 'application/json' },
          });
        }
        return base(id, sign(provider, undefined, { raw }));
      });
    case 'content_type':
      return fc.record({ id: txn, type: fc.constantFrom(...CONTENT_TYPES) }).map(({ id, type }) => {
        const signed = sign(provider, providerPayload(provider, id, ctx));
        const headers = { ...signed.headers };
        if (type === undefined) delete headers['content-type'];
        else headers['content-type'] = type;
        // The signature covers the bytes, not the label: any content type of a signed body is fine.
        return base(id, { body: signed.body, headers }, (status) =>
          status === 200 || status === 400 || status === 415
            ? undefined
            : `a signed body labelled ${String(type).slice(0, 40)} answered ${status}`,
        );
      });
    case 'headers':
      return fc
        .record({
          id: txn,
          extra: fc.constantFrom<Record<string, string>>(
            { 'x-signature': 't=1,v1=' + 'a'.repeat(1990) },
            { 'x-casso-signature': 'x'.repeat(3000) },
            { 'x-sepay-timestamp': '9'.repeat(20) },
            { authorization: 'Apikey ' + 'k'.repeat(600) },
            { 'x-request-id': '\u00e1\u00e9' },
          ),
        })
        .map(({ id, extra }) => {
          const payload = providerPayload(provider, `forged-${id}`, ctx);
          const signed = sign(provider, payload);
          // Replacing the scheme's own header breaks the signature; other headers change nothing.
          const breaks =
            Object.keys(extra).some((h) => h in signed.headers) ||
            (provider === 'sepay' && 'authorization' in extra && !signed.headers['x-sepay-signature']);
          const headers = { ...signed.headers, ...extra };
          if (breaks)
            return base(`forged-${id}`, { body: signed.body, headers }, is401('a mangled signature header'), false);
          const genuine = sign(provider, providerPayload(provider, id, ctx));
          return base(id, { body: genuine.body, headers: { ...genuine.headers, ...extra } });
        });
    default:
      throw new Error(`no bank generator for ${klass}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

function shapeProblem(status: number, answer: Answer): string | undefined {
  if (status < 400 || status >= 500) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'a 4xx whose body is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object') return 'a 4xx without an `error` object';
  if (typeof error.code !== 'string' || !/^[a-z_]+$/.test(error.code)) return 'a 4xx without an error code';
  if (typeof error.message !== 'string' || error.message === '') return 'a 4xx without an English message';
  if (typeof error.messageVi !== 'string' || error.messageVi === '')
    return `a 4xx (${error.code}) without a Vietnamese message`;
  const requestId = answer.headers.get('x-request-id');
  if (typeof error.requestId !== 'string' || error.requestId !== requestId)
    return 'a 4xx whose requestId is not the x-request-id header';
  return undefined;
}

function describeRequest(c: FuzzCase): string {
  const body = c.body ? c.body.subarray(0, 300).toString('utf8') : '';
  const headers = Object.entries(c.headers)
    .map(([k, v]) => `${k}: ${v.slice(0, 80)}`)
    .join('; ');
  return `${c.method} /${c.path.slice(0, 300)} [${headers}] ${body}${c.body && c.body.length > 300 ? `… (${c.body.length} bytes)` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Invariants: no half-written records in any service's database

async function withDb<T>(serverUrl: string, service: string, f: (db: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = `/cashless_${service}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    return await f(db);
  } finally {
    await db.end();
  }
}

async function count(db: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

/**
 * Invariants that hold when a query finds no rows, per service database: records stored only in
 * part (one without the other it must come with) or text that should have been refused. Outbox
 * rows are checked too: the relay deletes them once Kafka has them, so what is left must belong to
 * committed records.
 */
const ORPHAN_CHECKS: Record<
  'merchant' | 'payment' | 'ledger' | 'analytics',
  { name: string; unit: string; sql: string }[]
> = {
  merchant: [
    {
      name: 'merchant without a payout account',
      unit: 'merchants',
      sql: `SELECT count(*) AS n FROM merchant m WHERE NOT EXISTS (SELECT 1 FROM payout_account p WHERE p.merchant_id = m.id)`,
    },
    {
      name: 'merchant without an API key',
      unit: 'merchants',
      sql: `SELECT count(*) AS n FROM merchant m WHERE NOT EXISTS (SELECT 1 FROM merchant_api_key k WHERE k.merchant_id = m.id)`,
    },
    {
      name: 'merchant outbox event for a merchant that does not exist',
      unit: 'events',
      sql: `SELECT count(*) AS n FROM outbox_message o WHERE o.key ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
           AND (o.payload::jsonb)->>'type' LIKE 'merchant.%' AND NOT EXISTS (SELECT 1 FROM merchant m WHERE m.id::text = o.key)`,
    },
    {
      name: 'fraud report for a board that does not exist',
      unit: 'reports',
      sql: `SELECT count(*) AS n FROM fraud_report f WHERE NOT EXISTS (SELECT 1 FROM payout_account p WHERE p.id = f.payout_account_id AND p.merchant_id = f.merchant_id)`,
    },
    {
      name: 'text stored with control characters (NUL, RTL override)',
      unit: 'merchants',
      sql: `SELECT count(*) AS n FROM merchant WHERE shop_name ~ '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\u202e]' OR owner_name ~ '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\u202e]'`,
    },
  ],
  payment: [
    {
      name: 'payment intent without its idempotency-key answer',
      unit: 'intents',
      sql: `SELECT count(*) AS n FROM payment_intent i WHERE NOT EXISTS (SELECT 1 FROM idempotency_key k WHERE k.merchant_id = i.merchant_id AND k.response_body->>'id' = i.id::text)`,
    },
    {
      name: 'idempotency-key answer without its intent',
      unit: 'keys',
      sql: `SELECT count(*) AS n FROM idempotency_key k WHERE k.response_status = 201 AND NOT EXISTS (SELECT 1 FROM payment_intent i WHERE i.id::text = k.response_body->>'id')`,
    },
    {
      name: 'matched notification without its payment or unattributed entry',
      unit: 'notifications',
      sql: `SELECT count(*) AS n FROM bank_notification n WHERE n.ignored_reason IS NULL
           AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.notification_id = n.id)
           AND NOT EXISTS (SELECT 1 FROM unattributed_transfer u WHERE u.notification_id = n.id)`,
    },
    {
      name: 'ignored notification with a payment',
      unit: 'notifications',
      sql: `SELECT count(*) AS n FROM bank_notification n JOIN payment p ON p.notification_id = n.id WHERE n.ignored_reason IS NOT NULL`,
    },
    {
      name: 'payment without its shop-owner notice',
      unit: 'payments',
      sql: `SELECT count(*) AS n FROM payment p WHERE NOT EXISTS (SELECT 1 FROM merchant_notice m WHERE m.payment_id = p.id)`,
    },
    {
      name: 'payment outbox event for a payment that does not exist',
      unit: 'events',
      sql: `SELECT count(*) AS n FROM outbox_message o WHERE (o.payload::jsonb)->'data' ? 'paymentId'
           AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.id::text = (o.payload::jsonb)->'data'->>'paymentId')`,
    },
  ],
  ledger: [
    {
      name: 'unbalanced ledger transaction',
      unit: 'transactions',
      sql: `SELECT count(*) AS n FROM (SELECT transaction_id FROM ledger_entry GROUP BY transaction_id
           HAVING sum(CASE side WHEN 'debit' THEN amount ELSE 0 END) <> sum(CASE side WHEN 'credit' THEN amount ELSE 0 END)) t`,
    },
    {
      name: 'ledger transaction without entries',
      unit: 'transactions',
      sql: `SELECT count(*) AS n FROM ledger_transaction t WHERE NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.transaction_id = t.id)`,
    },
    {
      name: 'refund without its journal transaction',
      unit: 'refunds',
      sql: `SELECT count(*) AS n FROM ledger_refund r WHERE NOT EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.refund_id = r.id)`,
    },
    {
      name: 'balance bucket that disagrees with its entries',
      unit: 'accounts',
      sql: `SELECT count(*) AS n FROM (
           SELECT a.id, coalesce((SELECT sum(b.credits - b.debits) FROM ledger_balance b WHERE b.account_id = a.id), 0) AS bucket,
                  coalesce((SELECT sum(CASE e.side WHEN 'credit' THEN e.amount ELSE -e.amount END) FROM ledger_entry e WHERE e.account_id = a.id), 0) AS entries
           FROM ledger_account a) x WHERE bucket <> entries`,
    },
  ],
  analytics: [
    {
      name: 'campaign with an empty or control-character name',
      unit: 'campaigns',
      sql: `SELECT count(*) AS n FROM campaign WHERE btrim(name) = '' OR name ~ '[\\x01-\\x1f]'`,
    },
  ],
};

async function checkInvariants(
  postgresUrl: string,
  bank: { acceptedIds: Set<string>; rejected400: number; forgedIds: Set<string> },
  baseline: { notifications: number; rejected: number },
): Promise<InvariantResult[]> {
  const results: InvariantResult[] = [];
  const check = (name: string, bad: number, detail = '') =>
    results.push({ name, ok: bad === 0, detail: bad === 0 ? detail || 'none' : `${bad} ${detail || 'violations'}` });

  for (const [service, checks] of Object.entries(ORPHAN_CHECKS)) {
    await withDb(postgresUrl, service, async (db) => {
      for (const c of checks) check(c.name, await count(db, c.sql), c.unit);
    });
  }

  await withDb(postgresUrl, 'payment', async (db) => {
    const forged = [...bank.forgedIds];
    check(
      'notification stored for a forged or stale request',
      await count(
        db,
        `SELECT count(*) AS n FROM bank_notification WHERE provider_txn_id = ANY($1) OR provider_txn_id LIKE 'forged-%'`,
        [forged],
      ),
      'notifications',
    );
    const stored = await count(db, `SELECT count(*) AS n FROM bank_notification`);
    const expected = baseline.notifications + bank.acceptedIds.size;
    results.push({
      name: 'notifications stored = distinct notifications acknowledged',
      ok: stored === expected,
      detail: `${stored - baseline.notifications} stored, ${bank.acceptedIds.size} acknowledged`,
    });
    const rejected = (await count(db, `SELECT count(*) AS n FROM bank_notification_rejected`)) - baseline.rejected;
    results.push({
      name: 'rejected notifications kept = signed requests answered 400',
      ok: rejected === bank.rejected400,
      detail: `${rejected} kept, ${bank.rejected400} answered 400`,
    });
  });

  return results;
}

// ---------------------------------------------------------------------------------------------
// The campaign

export async function runFuzzCampaign(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const ctx = await setup(options.gateway, options.seed);
  log(`setup done: merchants ${ctx.a.id.slice(0, 8)}…, ${ctx.b.id.slice(0, 8)}…; seed ${options.seed}`);
  const baseline = await withDb(options.postgresUrl, 'payment', async (db) => ({
    notifications: await count(db, 'SELECT count(*) AS n FROM bank_notification'),
    rejected: await count(db, 'SELECT count(*) AS n FROM bank_notification_rejected'),
  }));

  // Every (route, class) pair gets `perPair` inputs, drawn from its own seeded stream.
  const cases: FuzzCase[] = [];
  let stream = 0;
  for (const route of PUBLIC_ROUTES) {
    if (route.auth === 'signed') {
      for (const provider of BANK_PROVIDERS) {
        for (const klass of applicable(route)) {
          cases.push(
            ...fc.sample(bankArbitrary(provider, klass, ctx, options.seed), {
              seed: options.seed + stream++,
              numRuns: options.perPair,
            }),
          );
        }
      }
      continue;
    }
    for (const klass of applicable(route)) {
      cases.push(
        ...fc.sample(arbitraryFor(route, klass, ctx), { seed: options.seed + stream++, numRuns: options.perPair }),
      );
    }
  }
  // Interleave routes and classes (deterministically) so no service sees one long burst.
  const order = fc.sample(
    fc.shuffledSubarray(
      cases.map((_, i) => i),
      { minLength: cases.length, maxLength: cases.length },
    ),
    {
      seed: options.seed,
      numRuns: 1,
    },
  )[0];
  // Valid notifications are sent again after everything else: the copy must come back as a duplicate.
  const replays: FuzzCase[] = cases
    .filter((x) => x.klass === 'valid_and_replayed')
    .map((c) => ({
      ...c,
      expect: (status: number, json: unknown) =>
        status === 200 && (json as { status?: string } | undefined)?.status === 'duplicate'
          ? undefined
          : `a replayed notification answered ${status} ${JSON.stringify(json ?? null).slice(0, 80)}`,
    }));
  const ordered = [...order.map((i) => cases[i]), ...replays];
  log(`${ordered.length} inputs over ${PUBLIC_ROUTES.length} routes`);

  const report: FuzzReport = {
    seed: options.seed,
    total: 0,
    seconds: 0,
    perRoute: new Map(),
    perClass: new Map(),
    statuses: new Map(),
    serverErrors: 0,
    leaks: 0,
    shapeViolations: 0,
    failures: [],
    invariants: [],
    bank: { accepted: 0, duplicates: 0, rejectedStored: 0, unauthorized: 0 },
  };
  const bank = { acceptedIds: new Set<string>(), rejected400: 0, forgedIds: new Set<string>() };
  const fail = (c: FuzzCase, status: number, problem: string, response: string) => {
    if (report.failures.length < 200)
      report.failures.push({
        route: c.route,
        klass: c.klass,
        status,
        problem,
        request: describeRequest(c),
        response: response.slice(0, 400),
      });
  };

  let next = 0;
  const worker = async () => {
    while (next < ordered.length) {
      const c = ordered[next++];
      let answer: Answer;
      try {
        answer = await send(options.gateway, c);
      } catch (error) {
        // `fetch failed` is the connection dropping under the request; anything else is the client
        // refusing to send it (a header value fetch will not put on the wire): not an input tried.
        if (!(error instanceof Error && error.message === 'fetch failed')) continue;
        report.total++;
        report.serverErrors++;
        fail(c, 0, `no answer: ${String((error as { cause?: unknown }).cause ?? error.message)}`, '');
        continue;
      }
      const status = answer.status;
      report.total++;
      report.perRoute.set(c.route, (report.perRoute.get(c.route) ?? 0) + 1);
      report.perClass.set(c.klass, (report.perClass.get(c.klass) ?? 0) + 1);
      report.statuses.set(status, (report.statuses.get(status) ?? 0) + 1);
      let json: unknown;
      try {
        json = JSON.parse(answer.text);
      } catch {
        json = undefined;
      }
      if (status >= 500) {
        report.serverErrors++;
        fail(c, status, 'a 5xx', answer.text);
      }
      const leak = leakIn(
        answer.text,
        `${c.path} ${c.body?.toString('utf8') ?? ''} ${Object.values(c.headers).join(' ')}`,
      );
      if (leak) {
        report.leaks++;
        fail(c, status, `leaked ${leak}`, answer.text);
      }
      const shape = shapeProblem(status, answer);
      if (shape) {
        report.shapeViolations++;
        fail(c, status, shape, answer.text);
      }
      const broken = c.expect?.(status, json);
      if (broken) fail(c, status, broken, answer.text);
      if (c.bank) {
        if (status === 401) report.bank.unauthorized++;
        if (status === 400) bank.rejected400++;
        const answerStatus = (json as { status?: string } | undefined)?.status;
        if (status === 200 && (answerStatus === 'accepted' || answerStatus === 'ignored')) {
          report.bank.accepted++;
          bank.acceptedIds.add(`${c.bank.provider}:${(json as { id: string }).id}`);
        }
        if (status === 200 && answerStatus === 'duplicate') report.bank.duplicates++;
        if (!c.bank.signed && c.bank.txnId) bank.forgedIds.add(c.bank.txnId);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  report.bank.rejectedStored = bank.rejected400;
  report.seconds = (performance.now() - started) / 1000;
  report.invariants = await checkInvariants(options.postgresUrl, bank, baseline);
  return report;
}

/** True when the campaign found nothing: no 5xx, no leak, every 4xx in shape, every rule and invariant held. */
export function passed(report: FuzzReport): boolean {
  return report.failures.length === 0 && report.serverErrors === 0 && report.invariants.every((i) => i.ok);
}

export function formatReport(report: FuzzReport, machine: string): string {
  const rows = (map: Map<string | number, number>) =>
    [...map.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([k, v]) => `| ${k} | ${v} |`);
  const failures = report.failures
    .slice(0, 20)
    .map(
      (f) =>
        `- ${f.route} (${f.klass}) → ${f.status}: ${f.problem}\n  - request: \`${f.request.replace(/`/g, "'").slice(0, 300)}\``,
    );
  return [
    `Whole platform through the gateway (${machine}); seed **${report.seed}** (rerun with \`FUZZ_SEED=${report.seed}\`).`,
    '',
    `**${report.total} inputs** over ${report.perRoute.size} routes in ${report.seconds.toFixed(1)} s: ` +
      `**${report.serverErrors} 5xx**, **${report.leaks} leaks** (stack traces, file paths, SQL errors), ` +
      `**${report.shapeViolations}** 4xx answers outside the error shape, ${report.failures.length} failed checks in all; ` +
      `invariants ${report.invariants.every((i) => i.ok) ? '**all hold**' : '**VIOLATED**'}.`,
    '',
    `Bank feeds: ${report.bank.accepted} notifications accepted, ${report.bank.duplicates} replays answered as duplicates, ` +
      `${report.bank.unauthorized} forged/stale/modified requests refused (401, nothing stored), ${report.bank.rejectedStored} signed malformed ones kept for inspection (400).`,
    '',
    '| status | answers |',
    '|---|---|',
    ...rows(report.statuses),
    '',
    '| input class | inputs |',
    '|---|---|',
    ...rows(report.perClass),
    '',
    '| route | inputs |',
    '|---|---|',
    ...rows(report.perRoute),
    '',
    '| invariant (SQL over each service database) | result |',
    '|---|---|',
    ...report.invariants.map((i) => `| ${i.name} | ${i.ok ? 'ok' : 'VIOLATED'}: ${i.detail} |`),
    ...(failures.length ? ['', 'Failures (first 20):', '', ...failures] : []),
  ].join('\n');
}
