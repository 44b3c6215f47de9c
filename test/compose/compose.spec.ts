import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { ConfigError, loadConfig } from '@cashless/config';
import { platformTopics } from '@cashless/contracts';
import { bankSimEnv } from '../../apps/bank-sim/src/config';
import { paymentEnv } from '../../apps/payment/src/payment.config';
import { KAFKA_VERSION } from '../../tools/infra/kafka';
import { SERVICES, databaseNameFor } from '../../tools/services';
import { topicPlan } from '../../tools/topic-plan';
import { CALLS, bootSchemas, migrateEnv, serviceSpec, shapeKeys } from '../support/service-env';
import {
  InterpolationError,
  type VariableReference,
  type Yaml,
  type YamlMap,
  interpolate,
  isMap,
  loadCompose,
  parseDotenv,
} from './compose-file';

/**
 * docker-compose.yml checked without Docker: the file as Compose would read it (merge keys,
 * interpolation from the `.env` that docs/deployment.md tells users to create) must pass the
 * Compose Specification schema and start a platform that can work: every service of
 * tools/services.ts with an environment its own config schemas accept in production, migrations
 * and topics before the services, a KRaft broker, only the public ports published.
 *
 * Each check returns its problems as lines, so the last tests can break a copy of the file and
 * see the check that should notice it do so.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), 'utf8');
const COMPOSE_FILE = read('docker-compose.yml');
const DOCS = read('docs/deployment.md');
const DOCKERFILE = read('Dockerfile');

/** The image every app container runs (Compose builds it from ./Dockerfile). */
const APP_IMAGE = /^cashless-street:[\w.-]+$/;

// ---- the sample .env -------------------------------------------------------------------------

/**
 * The `.env` that docs/deployment.md's printf command writes, with fixed bytes in place of
 * `openssl rand` (same lengths and alphabets), so the test checks the documented step itself.
 */
function documentedDotenv(): string {
  const command = /printf '([^']*)'\s*\\?\s*((?:"\$\(openssl rand -(?:base64|hex) \d+\)"\s*)+)>\s*\.env/.exec(DOCS);
  if (!command) throw new Error('docs/deployment.md: the printf … > .env command was not found');
  const values = [...command[2].matchAll(/openssl rand -(base64|hex) (\d+)/g)].map(([, encoding, size], n) =>
    Buffer.from(Array.from({ length: Number(size) }, (_, i) => (i * 151 + n * 89 + 7) & 0xff)).toString(
      encoding as 'base64' | 'hex',
    ),
  );
  let next = 0;
  return command[1].replace(/\\n/g, '\n').replace(/%s/g, () => values[next++] ?? '');
}

// ---- the file as Compose runs it ---------------------------------------------------------------

interface Container {
  name: string;
  node: YamlMap;
  image: string;
  command: string[];
  /** The container's environment (a null value would come from the shell: left out). */
  env: Record<string, string>;
  dependsOn: Record<string, { condition: string; required: boolean }>;
  ports: { published: string; target: number }[];
  /** Runs once per `up` (restart "no"); services wait for its zero exit. */
  oneShot: boolean;
}

interface Compose {
  model: YamlMap;
  containers: Record<string, Container>;
}

const scalar = (value: Yaml | undefined): string | undefined =>
  value === null || value === undefined || typeof value === 'object' ? undefined : String(value);

function containerOf(name: string, node: YamlMap): Container {
  const env: Record<string, string> = {};
  const environment = node.environment;
  if (Array.isArray(environment)) {
    for (const item of environment) {
      const [key, ...value] = String(item).split('=');
      if (value.length > 0) env[key] = value.join('=');
    }
  } else if (isMap(environment)) {
    for (const [key, value] of Object.entries(environment)) {
      const text = scalar(value);
      if (text !== undefined) env[key] = text;
    }
  }
  const dependsOn: Container['dependsOn'] = {};
  const depends = node.depends_on;
  if (Array.isArray(depends))
    for (const d of depends) dependsOn[String(d)] = { condition: 'service_started', required: true };
  else if (isMap(depends))
    for (const [target, spec] of Object.entries(depends)) {
      const options = isMap(spec) ? spec : {};
      dependsOn[target] = {
        condition: scalar(options.condition) ?? 'service_started',
        required: options.required !== false,
      };
    }
  const ports = (Array.isArray(node.ports) ? node.ports : []).map((port) => {
    if (isMap(port)) return { published: scalar(port.published) ?? '', target: Number(port.target) };
    // [[ip:]published:]target[/protocol]
    const parts = String(port)
      .replace(/\/\w+$/, '')
      .split(':');
    return { published: parts.length > 1 ? parts[parts.length - 2] : '', target: Number(parts[parts.length - 1]) };
  });
  const command = node.command;
  if (typeof command === 'string' && /["'\\]/.test(command)) throw new Error(`${name}: quoted command not modelled`);
  return {
    name,
    node,
    image: scalar(node.image) ?? '',
    command:
      typeof command === 'string'
        ? command.split(/\s+/).filter(Boolean)
        : Array.isArray(command)
          ? command.map(String)
          : [],
    env,
    dependsOn,
    ports,
    oneShot: scalar(node.restart) === 'no',
  };
}

function composeOf(model: YamlMap): Compose {
  const services = isMap(model.services) ? model.services : {};
  return {
    model,
    containers: Object.fromEntries(
      Object.entries(services).map(([name, node]) => [name, containerOf(name, isMap(node) ? node : {})]),
    ),
  };
}

function load(dotenv: string): Compose & { references: VariableReference[]; unset: string[] } {
  const loaded = loadCompose(COMPOSE_FILE, parseDotenv(dotenv));
  return { ...composeOf(loaded.model), references: loaded.references, unset: loaded.unset };
}

const clone = (compose: Compose): Compose => composeOf(structuredClone(compose.model));
const serviceNode = (compose: Compose, name: string): YamlMap => compose.containers[name].node;
const envNode = (compose: Compose, name: string): YamlMap => serviceNode(compose, name).environment as YamlMap;

/** The compiled `node dist/<path>.js` entry point's source (tsconfig.build.json: rootDir ".", outDir "dist"). */
const sourceOf = (entry: string) => join(REPO, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

const appContainers = (c: Compose) => Object.values(c.containers).filter((x) => APP_IMAGE.test(x.image));
const jobRunning = (c: Compose, ...command: string[]) =>
  appContainers(c).filter((x) => x.oneShot && JSON.stringify(x.command) === JSON.stringify(command));

// ---- the checks --------------------------------------------------------------------------------

const composeSchema = (() => {
  // Vendored byte for byte from the npm package dclint@3.1.0 (schemas/compose.schema.json), which
  // ships the Compose Specification's schema (compose-spec/compose-spec, Apache-2.0). Its draft-07
  // `$schema` URI is spelt in a form ajv does not look up; draft-07 is ajv's default.
  const schema = JSON.parse(readFileSync(join(REPO, 'test/compose/schemas/compose-spec.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
})();

function schemaProblems(c: Compose): string[] {
  if (composeSchema(c.model)) return [];
  return (composeSchema.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** The server properties the apache/kafka image writes from KAFKA_* variables (`_` → `.`, `__` → `_`, `___` → `-`). */
function kafkaProperties(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => key.startsWith('KAFKA_'))
      .map(([key, value]) => [
        key
          .slice('KAFKA_'.length)
          .toLowerCase()
          .replace(/_+/g, (run) => ({ 1: '.', 2: '_', 3: '-' })[run.length] ?? run),
        value,
      ]),
  );
}

/** host:port of a listener list entry named `name` (`NAME://host:port`). */
function listener(list: string | undefined, name: string): { host: string; port: number } | undefined {
  const entry = (list ?? '').split(',').find((l) => l.trim().startsWith(`${name}://`));
  const match = entry && /:\/\/([^:]*):(\d+)$/.exec(entry.trim());
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

function kafkaProblems(c: Compose): string[] {
  const problems: string[] = [];
  for (const x of Object.values(c.containers)) {
    if (/zookeeper/i.test(x.image) || Object.keys(x.env).some((k) => /ZOOKEEPER/.test(k)))
      problems.push(`${x.name}: ZooKeeper (the broker must run in KRaft mode)`);
  }
  const kafka = c.containers.kafka;
  if (!kafka) return [...problems, 'no kafka service'];
  if (kafka.image !== `apache/kafka:${KAFKA_VERSION}`)
    problems.push(`kafka: image ${kafka.image}, expected apache/kafka:${KAFKA_VERSION} like the local broker`);
  const p = kafkaProperties(kafka.env);
  const roles = (p['process.roles'] ?? '').split(',').map((r) => r.trim());
  if (!roles.includes('broker') || !roles.includes('controller'))
    problems.push(`kafka: process.roles is "${p['process.roles'] ?? ''}", expected broker,controller (KRaft)`);
  if ('zookeeper.connect' in p) problems.push('kafka: zookeeper.connect is set');
  if (!/^[A-Za-z0-9_-]{22}$/.test(kafka.env.CLUSTER_ID ?? ''))
    problems.push('kafka: CLUSTER_ID must be a 22-character base64url id');
  const voters = (p['controller.quorum.voters'] ?? '').split(',').filter(Boolean);
  const controllerName = p['controller.listener.names'] ?? '';
  const controller = listener(p.listeners, controllerName);
  if (!controller) problems.push(`kafka: no listener named by controller.listener.names "${controllerName}"`);
  const expectedVoter = `${p['node.id']}@kafka:${controller?.port ?? '?'}`;
  if (voters.length !== 1 || voters[0] !== expectedVoter)
    problems.push(`kafka: controller.quorum.voters "${voters.join(',')}", expected ${expectedVoter}`);
  const brokers = voters.length;
  // Kafka's defaults are 3: a one-broker cluster must lower them or __consumer_offsets is never created.
  for (const key of [
    'offsets.topic.replication.factor',
    'transaction.state.log.replication.factor',
    'transaction.state.log.min.isr',
    'default.replication.factor',
    'min.insync.replicas',
  ]) {
    if (!(Number(p[key]) >= 1 && Number(p[key]) <= brokers))
      problems.push(`kafka: ${key}=${p[key]} with ${brokers} broker(s)`);
  }
  if (p['auto.create.topics.enable'] !== 'false') problems.push('kafka: auto.create.topics.enable must be false');
  const advertised = listener(p['advertised.listeners'], p['inter.broker.listener.name'] ?? 'PLAINTEXT');
  const plain = listener(p.listeners, p['inter.broker.listener.name'] ?? 'PLAINTEXT');
  if (!advertised || advertised.host !== 'kafka' || advertised.port !== plain?.port)
    problems.push(`kafka: advertised listener ${JSON.stringify(advertised)} is not kafka:<listener port>`);
  const volumes = Array.isArray(kafka.node.volumes) ? kafka.node.volumes.map(String) : [];
  if (!volumes.some((v) => v.endsWith(`:${p['log.dirs']}`)))
    problems.push(`kafka: log.dirs ${p['log.dirs']} is not on a volume`);
  for (const x of appContainers(c)) {
    if (x.env.KAFKA_BROKERS !== undefined && x.env.KAFKA_BROKERS !== `kafka:${advertised?.port ?? '?'}`)
      problems.push(`${x.name}: KAFKA_BROKERS ${x.env.KAFKA_BROKERS} is not the broker's advertised address`);
  }
  return problems;
}

/** Does the container have a healthcheck that Compose runs (its own, or the image's HEALTHCHECK)? */
function hasHealthcheck(x: Container): boolean {
  const check = isMap(x.node.healthcheck) ? x.node.healthcheck : undefined;
  if (check?.disable === true || (Array.isArray(check?.test) && check.test[0] === 'NONE')) return false;
  if (check?.test !== undefined) return true;
  return APP_IMAGE.test(x.image) && /^HEALTHCHECK /m.test(DOCKERFILE);
}

function postgresProblems(c: Compose): string[] {
  const pg = c.containers.postgres;
  if (!pg) return ['no postgres service'];
  const problems: string[] = [];
  const check = isMap(pg.node.healthcheck) ? pg.node.healthcheck : {};
  if (!hasHealthcheck(pg)) problems.push('postgres: no healthcheck');
  else if (!(Array.isArray(check.test) ? check.test.join(' ') : String(check.test)).includes('pg_isready'))
    problems.push('postgres: the healthcheck does not ask pg_isready');
  const major = Number(/^postgres:(\d+)/.exec(pg.image)?.[1]);
  if (!major) problems.push(`postgres: image ${pg.image} has no major version tag`);
  // The official image keeps its data under /var/lib/postgresql/data up to 17, /var/lib/postgresql from 18.
  const dataDir = major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
  const volumes = Array.isArray(pg.node.volumes) ? pg.node.volumes.map(String) : [];
  if (!volumes.some((v) => v.endsWith(`:${dataDir}`))) problems.push(`postgres: ${dataDir} is not on a volume`);
  return problems;
}

function serviceProblems(c: Compose): string[] {
  const problems: string[] = [];
  for (const s of SERVICES) {
    const x = c.containers[s.name];
    if (!x) {
      problems.push(`${s.name}: no container`);
      continue;
    }
    if (!APP_IMAGE.test(x.image)) problems.push(`${s.name}: image ${x.image} is not the app image`);
    if (JSON.stringify(x.command) !== JSON.stringify(['node', s.entry]))
      problems.push(`${s.name}: command ${JSON.stringify(x.command)}, expected node ${s.entry}`);
    if (!existsSync(sourceOf(s.entry))) problems.push(`${s.name}: ${s.entry} has no source`);
    if (x.env.PORT !== String(serviceSpec(s.name).port))
      problems.push(`${s.name}: PORT ${x.env.PORT}, expected ${serviceSpec(s.name).port}`);
    if (x.oneShot) problems.push(`${s.name}: a long-running service with restart "no"`);
  }
  const known = new Set(SERVICES.map((s) => s.name));
  for (const x of appContainers(c).filter((y) => !y.oneShot && !known.has(y.name)))
    problems.push(`${x.name}: runs the app image but is not a service of tools/services.ts`);
  return problems;
}

/** The error lines of loadConfig, or none. */
function configProblems(schema: Parameters<typeof loadConfig>[0], env: Record<string, string>): string[] {
  try {
    loadConfig(schema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.variable}: ${i.message}`);
    throw error;
  }
}

function environmentProblems(c: Compose): string[] {
  const problems: string[] = [];
  const pg = c.containers.postgres?.env ?? {};
  const checkDatabaseUrl = (who: string, url: string | undefined, service: string) => {
    const expected = `postgres:5432/${databaseNameFor(service)}`;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url ?? '');
    } catch {
      parsed = undefined;
    }
    if (!parsed || `${parsed.hostname}:${parsed.port}${parsed.pathname}` !== expected)
      problems.push(`${who}: DATABASE_URL ${url} is not ${expected}`);
    else if (
      decodeURIComponent(parsed.username) !== (pg.POSTGRES_USER ?? 'postgres') ||
      decodeURIComponent(parsed.password) !== (pg.POSTGRES_PASSWORD ?? '')
    )
      problems.push(`${who}: DATABASE_URL credentials differ from the postgres service's`);
  };
  for (const s of SERVICES) {
    const x = c.containers[s.name];
    if (!x) continue;
    if (x.env.NODE_ENV !== 'production') problems.push(`${s.name}: NODE_ENV is ${x.env.NODE_ENV}, expected production`);
    if (x.env.HOST !== '0.0.0.0') problems.push(`${s.name}: HOST ${x.env.HOST} cannot be reached by other containers`);
    const schemas = bootSchemas(s.name);
    const own = new Set(['NODE_OPTIONS', ...schemas.flatMap(shapeKeys)]);
    for (const key of Object.keys(x.env).filter((k) => !own.has(k)))
      problems.push(`${s.name}: ${key} is read by no schema of it`);
    const invalid = schemas.flatMap((schema) => configProblems(schema, x.env)).map((p) => `${s.name}: ${p}`);
    problems.push(...invalid);
    if (s.ownsDatabase) checkDatabaseUrl(s.name, x.env.DATABASE_URL, s.name);

    // Every HTTP address the service ends up with (set or defaulted) must be a container it calls,
    // on its port. Known only once the environment parses.
    if (invalid.length > 0) continue;
    const urls = schemas.flatMap((schema) => {
      const parsed = schema.safeParse(x.env);
      return parsed.success && isMap(parsed.data as Yaml)
        ? Object.entries(parsed.data as Record<string, unknown>).filter(
            (e): e is [string, string] => typeof e[1] === 'string' && /^https?:\/\//.test(e[1]),
          )
        : [];
    });
    const called = new Set<string>();
    for (const [key, url] of urls) {
      const { hostname, port } = new URL(url);
      const target = c.containers[hostname];
      if (!target) problems.push(`${s.name}: ${key}=${url} is no container of the file`);
      else if (port !== target.env.PORT)
        problems.push(`${s.name}: ${key}=${url}, but ${hostname} listens on ${target.env.PORT}`);
      else called.add(hostname);
    }
    const expected = CALLS[s.name] ?? [];
    if ([...called].sort().join() !== [...expected].sort().join())
      problems.push(
        `${s.name}: reaches ${[...called].sort().join(', ') || 'nothing'}, expected ${expected.join(', ') || 'nothing'}`,
      );
  }

  // The sandbox bank signs with the secret the payment service verifies.
  const signing = bankSimEnv.safeParse(c.containers['bank-sim']?.env ?? {}).data?.BANK_WEBHOOK_SECRET;
  const verifying = paymentEnv.safeParse(c.containers.payment?.env ?? {}).data?.BANK_WEBHOOK_SECRET;
  if (signing !== verifying) problems.push('bank-sim signs notifications with another secret than payment verifies');

  for (const s of SERVICES.filter((x) => x.ownsDatabase)) {
    const jobs = jobRunning(c, 'node', s.entry, 'migrate');
    if (jobs.length !== 1) {
      problems.push(`${s.name}: ${jobs.length} migration one-shots, expected 1`);
      continue;
    }
    const job = jobs[0];
    const own = new Set(shapeKeys(migrateEnv));
    for (const key of Object.keys(job.env).filter((k) => !own.has(k)))
      problems.push(`${job.name}: ${key} is read by no schema of it`);
    problems.push(...configProblems(migrateEnv, job.env).map((p) => `${job.name}: ${p}`));
    checkDatabaseUrl(job.name, job.env.DATABASE_URL, s.name);
    if (job.env.NODE_ENV !== 'production') problems.push(`${job.name}: NODE_ENV is not production`);
  }
  return problems;
}

const TOPICS_ENTRY = 'dist/tools/topics.js';

function topicsProblems(c: Compose): string[] {
  const jobs = jobRunning(c, 'node', TOPICS_ENTRY);
  if (jobs.length !== 1) return [`${jobs.length} one-shots run node ${TOPICS_ENTRY}, expected 1`];
  const problems: string[] = [];
  if (!existsSync(sourceOf(TOPICS_ENTRY))) problems.push(`${TOPICS_ENTRY} has no source`);
  // The entry decides nothing itself: what it creates is topicPlan() of its environment.
  else if (!/topicPlan\(process\.env\)/.test(readFileSync(sourceOf(TOPICS_ENTRY), 'utf8')))
    problems.push(`${TOPICS_ENTRY} does not create topicPlan(process.env)`);
  let plan: ReturnType<typeof topicPlan>;
  try {
    plan = topicPlan(jobs[0].env);
  } catch (error) {
    return [...problems, `${jobs[0].name}: ${error instanceof Error ? error.message : String(error)}`];
  }
  const key = (t: { name: string; partitions: number }) => `${t.name}/${t.partitions}`;
  const planned = plan.topics.map(key).sort();
  const expected = platformTopics().map(key).sort();
  if (planned.join() !== expected.join())
    problems.push(`${jobs[0].name}: creates ${planned.join(', ')}; platformTopics() is ${expected.join(', ')}`);
  return problems;
}

function dependencyProblems(c: Compose): string[] {
  const problems: string[] = [];
  for (const x of Object.values(c.containers)) {
    for (const [target, { condition, required }] of Object.entries(x.dependsOn)) {
      const dependency = c.containers[target];
      if (!dependency) {
        problems.push(`${x.name}: depends on ${target}, which does not exist`);
        continue;
      }
      if (!required) problems.push(`${x.name}: depends on ${target} with required: false`);
      if (condition === 'service_healthy' && !hasHealthcheck(dependency))
        problems.push(`${x.name}: waits for ${target} to be healthy, which has no healthcheck`);
      if (condition === 'service_completed_successfully' && !dependency.oneShot)
        problems.push(`${x.name}: waits for ${target} to complete, which restarts instead`);
    }
  }
  // Compose refuses a cycle; find one with a depth-first walk.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') {
      problems.push(`dependency cycle: ${[...path, name].join(' → ')}`);
      return;
    }
    state.set(name, 'open');
    for (const next of Object.keys(c.containers[name]?.dependsOn ?? {}))
      if (c.containers[next]) visit(next, [...path, name]);
    state.set(name, 'done');
  };
  for (const name of Object.keys(c.containers)) visit(name, []);

  const waitsFor = (x: Container, target: string | undefined, condition: string) =>
    target !== undefined && x.dependsOn[target]?.condition === condition;
  const topics = jobRunning(c, 'node', TOPICS_ENTRY)[0];
  if (topics && !waitsFor(topics, 'kafka', 'service_healthy'))
    problems.push(`${topics.name}: does not wait for a healthy kafka`);
  for (const s of SERVICES) {
    const x = c.containers[s.name];
    if (!x) continue;
    if (s.ownsDatabase) {
      const migration = jobRunning(c, 'node', s.entry, 'migrate')[0];
      if (migration && !waitsFor(migration, 'postgres', 'service_healthy'))
        problems.push(`${migration.name}: does not wait for a healthy postgres`);
      if (!waitsFor(x, migration?.name, 'service_completed_successfully'))
        problems.push(`${s.name}: starts before its migration has completed`);
    }
    if (x.env.KAFKA_BROKERS !== undefined && !waitsFor(x, topics?.name, 'service_completed_successfully'))
      problems.push(`${s.name}: starts before the topics exist`);
  }
  for (const x of appContainers(c).filter((y) => y.oneShot && hasHealthcheck(y)))
    problems.push(`${x.name}: a one-shot with the image's healthcheck (it would be reported unhealthy)`);
  return problems;
}

const PUBLIC = ['gateway', 'bank-sim'];

function portProblems(c: Compose): string[] {
  const problems: string[] = [];
  for (const x of Object.values(c.containers)) {
    if (x.node.network_mode === 'host') problems.push(`${x.name}: network_mode host publishes every port`);
    if (x.ports.length === 0) {
      if (PUBLIC.includes(x.name)) problems.push(`${x.name}: publishes no port`);
      continue;
    }
    if (!PUBLIC.includes(x.name)) problems.push(`${x.name}: publishes ${x.ports.map((p) => p.target).join(', ')}`);
    else if (x.ports.length !== 1 || String(x.ports[0].target) !== x.env.PORT)
      problems.push(`${x.name}: publishes ${JSON.stringify(x.ports)}, expected its PORT ${x.env.PORT}`);
  }
  return problems;
}

/** The rows of the first table under "### Variables" in docs/deployment.md: name → default column. */
function documentedVariables(): Map<string, string> {
  const section = DOCS.slice(DOCS.indexOf('### Variables'));
  const table = /((?:^\|.*\|\s*$\n?)+)/m.exec(section)?.[1] ?? '';
  return new Map(
    table
      .split('\n')
      .map((row) => row.split('|').map((cell) => cell.trim()))
      .filter((cells) => /^`[A-Z0-9_]+`$/.test(cells[1] ?? ''))
      .map((cells) => [cells[1].replace(/`/g, ''), cells[2]]),
  );
}

function documentationProblems(references: VariableReference[]): string[] {
  const documented = documentedVariables();
  const problems: string[] = [];
  for (const r of references) {
    const row = documented.get(r.name);
    if (row === undefined) problems.push(`${r.name} (${r.path}) is not in the Variables table of docs/deployment.md`);
    else if ((r.operator === ':?' || r.operator === '?') && !/^required\b/.test(row))
      problems.push(`${r.name} is required by the file but documented as "${row}"`);
    else if ((r.operator === ':-' || r.operator === '-') && row !== `\`${r.argument}\``)
      problems.push(`${r.name} defaults to "${r.argument}" in the file but "${row}" in the docs`);
  }
  const used = new Set(references.map((r) => r.name));
  for (const name of documented.keys()) if (!used.has(name)) problems.push(`${name} is documented but not used`);
  return problems;
}

// ---- the tests ---------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = load(documentedDotenv());

  it('reads the .env that docs/deployment.md tells users to write, with no variable left empty', () => {
    const env = parseDotenv(documentedDotenv());
    expect(Object.keys(env).sort()).toEqual(['ANALYTICS_PAYER_SALT', 'AUTH_TOKEN_SECRET', 'OFFICER_PASSWORD']);
    expect(env.AUTH_TOKEN_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(compose.unset).toEqual([]);
    expect(envNode(compose, 'analytics').ANALYTICS_PAYER_SALT).toBe(env.ANALYTICS_PAYER_SALT);
    // Merge keys: the one-shots override the shared restart policy, the services keep it.
    expect(serviceNode(compose, 'topics').restart).toBe('no');
    expect(serviceNode(compose, 'merchant').restart).toBe('unless-stopped');
    expect(serviceNode(compose, 'merchant').image).toBe('cashless-street:local');
    expect(Object.keys(compose.model).filter((k) => !k.startsWith('x-'))).toEqual(['name', 'services', 'volumes']);
  });

  it('is valid under the Compose Specification schema', () => {
    expect(schemaProblems(compose)).toEqual([]);
  });

  it('runs Kafka as a single KRaft broker and controller, without ZooKeeper', () => {
    expect(kafkaProblems(compose)).toEqual([]);
  });

  it('gives PostgreSQL a healthcheck and its data a volume', () => {
    expect(postgresProblems(compose)).toEqual([]);
  });

  it('runs every service of tools/services.ts from the app image with its entry point and port', () => {
    expect(serviceProblems(compose)).toEqual([]);
    expect(DOCKERFILE).toMatch(/^ENV NODE_ENV=production/m);
    const exposed = /^EXPOSE (.+)$/m.exec(DOCKERFILE)?.[1].split(/\s+/).map(Number).sort();
    expect(exposed).toEqual(SERVICES.map((s) => serviceSpec(s.name).port).sort());
  });

  it('gives each process an environment its own config schemas accept with NODE_ENV=production', () => {
    expect(environmentProblems(compose)).toEqual([]);
  });

  it('creates every topic of platformTopics() in a one-shot step', () => {
    expect(topicsProblems(compose)).toEqual([]);
  });

  it('starts services only after their migration and the topics step completed, with no dangling or cyclic dependency', () => {
    expect(dependencyProblems(compose)).toEqual([]);
  });

  it('publishes only the gateway and the sandbox bank', () => {
    expect(portProblems(compose)).toEqual([]);
    expect(compose.containers.gateway.ports).toEqual([{ published: '8080', target: 8080 }]);
  });

  it('documents every variable it reads, each required one as required, with the same defaults', () => {
    const required = compose.references.filter((r) => r.operator === ':?').map((r) => r.name);
    expect(new Set(required)).toEqual(new Set(['OFFICER_PASSWORD', 'AUTH_TOKEN_SECRET', 'ANALYTICS_PAYER_SALT']));
    expect(documentationProblems(compose.references)).toEqual([]);
  });

  it('carries the operator’s own values through: database password, webhook secret, published ports', () => {
    const custom = load(
      `${documentedDotenv()}POSTGRES_PASSWORD=s3cr3t-Pw\nBANK_WEBHOOK_SECRET="bank secret of 24 chars"\nGATEWAY_PORT=80\nCASHLESS_IMAGE_TAG=0.1.0\n`,
    );
    expect(custom.containers.postgres.env.POSTGRES_PASSWORD).toBe('s3cr3t-Pw');
    expect(custom.containers.ledger.env.DATABASE_URL).toBe(
      'postgres://postgres:s3cr3t-Pw@postgres:5432/cashless_ledger',
    );
    expect(custom.containers.payment.env.BANK_WEBHOOK_SECRET).toBe('bank secret of 24 chars');
    expect(custom.containers['bank-sim'].env.BANK_WEBHOOK_SECRET).toBe('bank secret of 24 chars');
    expect(custom.containers.gateway.ports).toEqual([{ published: '80', target: 8080 }]);
    expect(custom.containers.topics.image).toBe('cashless-street:0.1.0');
    expect([...environmentProblems(custom), ...schemaProblems(custom)]).toEqual([]);
  });

  it('stops, naming the variable, when the .env lacks a required secret', () => {
    const withoutSalt = documentedDotenv().replace(/^ANALYTICS_PAYER_SALT=.*\n/m, '');
    expect(() => load(withoutSalt)).toThrow(
      'required variable ANALYTICS_PAYER_SALT is missing a value: set ANALYTICS_PAYER_SALT (16+ random characters)',
    );
    // An empty value counts as missing for `:?`.
    expect(() => load(`${withoutSalt}ANALYTICS_PAYER_SALT=\n`)).toThrow(InterpolationError);
  });
});

describe('Compose interpolation as implemented here', () => {
  const env = { SET: 'value', EMPTY: '' };
  const run = (text: string) => interpolate(text, env, 'x');

  it('follows the Compose Specification for each form', () => {
    expect(run('a $SET ${SET}b $$SET $${SET}')).toBe('a value valueb $SET ${SET}');
    expect(run('${EMPTY:-d} ${EMPTY-d} ${UNSET-d} ${UNSET:-${SET}-x}')).toBe('d  d value-x');
    expect(run('${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}')).toBe('alt  alt ');
    expect(run('${EMPTY?fine}')).toBe('');
    expect(() => run('${EMPTY:?is empty}')).toThrow('required variable EMPTY is missing a value: is empty');
    expect(() => run('${UNSET?gone}')).toThrow('required variable UNSET is missing a value: gone');
    expect(() => run('cost: 5$')).toThrow(InterpolationError);
    expect(() => run('${SET')).toThrow(InterpolationError);
    const unset: string[] = [];
    expect(interpolate('[$UNSET]', env, 'x', { unset: (n) => unset.push(n) })).toBe('[]');
    expect(unset).toEqual(['UNSET']);
  });

  it('parses .env lines as Compose does for quotes, comments and export', () => {
    expect(
      parseDotenv('# c\nexport A=1\nB = two words # note\nC="x\\ny \\"q\\""\nD=\'$lit #\'\nE=a=b\n\nF=\n'),
    ).toEqual({ A: '1', B: 'two words', C: 'x\ny "q"', D: '$lit #', E: 'a=b', F: '' });
    expect(() => parseDotenv('not a line')).toThrow(/line 1/);
  });

  it('resolves merge keys: explicit keys win, then the first merged map', () => {
    const { model } = loadCompose(
      'x-a: &a {k: a, only-a: 1}\nx-b: &b {k: b, only-b: 2}\nservices:\n  s:\n    <<: [*a, *b]\n    own: ${SET}\n  t:\n    <<: *b\n    k: t\n',
      env,
    );
    expect((model.services as YamlMap).s).toEqual({ k: 'a', 'only-a': 1, 'only-b': 2, own: 'value' });
    expect(((model.services as YamlMap).t as YamlMap).k).toBe('t');
  });
});

describe('the checks catch a broken Compose file', () => {
  const compose = load(documentedDotenv());
  const broken = (change: (c: Compose) => void): Compose => {
    const copy = clone(compose);
    change(copy);
    return composeOf(copy.model);
  };

  it('an unknown or mistyped field (schema)', () => {
    const typo = broken((c) => {
      serviceNode(c, 'merchant').healhcheck = { test: ['CMD', 'true'] };
      serviceNode(c, 'payment').stop_grace_period = 20;
    });
    const problems = schemaProblems(typo).join('\n');
    expect(problems).toMatch(/additionalProperty.*healhcheck/);
    expect(problems).toMatch(/stop_grace_period must be string/);
  });

  it('a missing production secret or an address that points nowhere (environment)', () => {
    const problems = environmentProblems(
      broken((c) => {
        delete envNode(c, 'analytics').ANALYTICS_PAYER_SALT;
        delete envNode(c, 'ledger').PAYMENT_URL;
        envNode(c, 'payment').MERCHANT_URL = 'http://merchant:9999';
        envNode(c, 'gateway').RATE_LIMIT_LOGN = '5';
        envNode(c, 'migrate-ledger').DATABASE_URL = 'postgres://postgres:postgres@postgres:5432/cashless_payment';
        envNode(c, 'bank-sim').BANK_WEBHOOK_SECRET = 'another secret, long enough';
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'analytics: ANALYTICS_PAYER_SALT: required in production (16+ characters)',
        'ledger: reaches merchant, expected merchant, payment',
        'ledger: PAYMENT_URL=http://127.0.0.1:8082 is no container of the file',
        'payment: MERCHANT_URL=http://merchant:9999, but merchant listens on 8081',
        'gateway: RATE_LIMIT_LOGN is read by no schema of it',
        'migrate-ledger: DATABASE_URL postgres://postgres:postgres@postgres:5432/cashless_payment is not postgres:5432/cashless_ledger',
        'bank-sim signs notifications with another secret than payment verifies',
      ]),
    );
  });

  it('a service started before its migration, a dangling or cyclic dependency', () => {
    const problems = dependencyProblems(
      broken((c) => {
        const depends = serviceNode(c, 'ledger').depends_on as YamlMap;
        depends['migrate-ledger'] = { condition: 'service_started' };
        delete (serviceNode(c, 'payment').depends_on as YamlMap).topics;
        (serviceNode(c, 'bank-sim').depends_on as YamlMap).bank = { condition: 'service_started' };
        (serviceNode(c, 'merchant').depends_on as YamlMap)['bank-sim'] = { condition: 'service_started' };
        (serviceNode(c, 'gateway').depends_on as YamlMap).topics = { condition: 'service_healthy' };
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'ledger: starts before its migration has completed',
        'payment: starts before the topics exist',
        'bank-sim: depends on bank, which does not exist',
        'gateway: waits for topics to be healthy, which has no healthcheck',
      ]),
    );
    expect(problems.join('\n')).toMatch(/dependency cycle: .*merchant → bank-sim → gateway → merchant/);
  });

  it('ZooKeeper, a broker without the controller role, replication above the broker count (Kafka)', () => {
    const problems = kafkaProblems(
      broken((c) => {
        (c.model.services as YamlMap).zookeeper = { image: 'zookeeper:3.9' };
        envNode(c, 'kafka').KAFKA_PROCESS_ROLES = 'broker';
        delete envNode(c, 'kafka').KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR;
      }),
    );
    expect(problems).toEqual([
      'zookeeper: ZooKeeper (the broker must run in KRaft mode)',
      'kafka: process.roles is "broker", expected broker,controller (KRaft)',
      'kafka: offsets.topic.replication.factor=undefined with 1 broker(s)',
    ]);
  });

  it('an internal port published, a topic plan other than platformTopics(), no healthcheck on PostgreSQL', () => {
    const c = broken((x) => {
      serviceNode(x, 'ledger').ports = ['8083:8083'];
      envNode(x, 'topics').KAFKA_TOPIC_PARTITIONS = '3';
      delete serviceNode(x, 'postgres').healthcheck;
    });
    expect(portProblems(c)).toEqual(['ledger: publishes 8083']);
    expect(topicsProblems(c).join('\n')).toMatch(/creates .*payment\.events\.v1\/3/);
    expect(postgresProblems(c)).toEqual(['postgres: no healthcheck']);
  });

  it('an undocumented or misdocumented variable', () => {
    const extra: VariableReference[] = [
      ...compose.references,
      { name: 'NEW_SECRET', operator: ':?', argument: 'set it', path: 'services.merchant.environment.NEW_SECRET' },
      { name: 'LOG_LEVEL', operator: ':-', argument: 'debug', path: 'x-env.LOG_LEVEL' },
    ];
    expect(documentationProblems(extra)).toEqual([
      'NEW_SECRET (services.merchant.environment.NEW_SECRET) is not in the Variables table of docs/deployment.md',
      'LOG_LEVEL defaults to "debug" in the file but "`info`" in the docs',
    ]);
  });
});
