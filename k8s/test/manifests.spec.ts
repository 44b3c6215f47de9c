import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, serviceEnv } from '@cashless/config';
import { platformTopics } from '@cashless/contracts';
import { INBOX_RETENTION_DAYS } from '@cashless/messaging';
import { databaseNameFor } from '../../tools/services';
import {
  CALLS,
  SCHEMAS,
  bootSchemas,
  migrateEnv,
  serviceSpec as spec,
  shapeKeys,
} from '../../test/support/service-env';
import { type Json, type JsonObject, type K8sObject, isObject, kustomize, loadObjects, podTemplate } from './kustomize';
import { validateObject } from './validate';

const K8S = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(K8S, '..');

/** The platform's services (bank-sim is a dev-only test tool). */
const PLATFORM = ['gateway', 'merchant', 'payment', 'ledger', 'analytics'];

let work: string;
const rendered: Record<'dev' | 'production', K8sObject[]> = { dev: [], production: [] };

beforeAll(() => {
  // Render from a copy: the dev overlay's secret files are git-ignored, so the copy gets them
  // from the committed examples, as a developer's checkout would.
  work = mkdtempSync(join(tmpdir(), 'k8s-manifests-'));
  cpSync(K8S, work, { recursive: true, filter: (src) => !relative(K8S, src).startsWith('test') });
  const secrets = join(work, 'overlays/dev/secrets');
  for (const file of readdirSync(secrets).filter((f) => f.endsWith('.env.example'))) {
    writeFileSync(join(secrets, file.replace(/\.example$/, '')), readFileSync(join(secrets, file)));
  }
  rendered.dev = kustomize(join(work, 'overlays/dev'));
  rendered.production = kustomize(join(work, 'overlays/production'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// ---- helpers over rendered objects ----------------------------------------------------------------

function all(overlay: keyof typeof rendered, kind: string): K8sObject[] {
  return rendered[overlay].filter((o) => o.kind === kind);
}

function one(overlay: keyof typeof rendered, kind: string, name: string): K8sObject {
  const found = rendered[overlay].filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`${overlay}: expected one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

const get = (node: Json | undefined, ...path: (string | number)[]): Json | undefined =>
  path.reduce<Json | undefined>(
    (at, key) => (Array.isArray(at) ? at[key as number] : isObject(at) ? at[key as string] : undefined),
    node,
  );
const obj = (node: Json | undefined): JsonObject => (isObject(node) ? node : {});
const list = (node: Json | undefined): Json[] => (Array.isArray(node) ? node : []);
const labelsOf = (node: Json | undefined): Record<string, string> => obj(node) as Record<string, string>;

interface Container {
  name: string;
  image: string;
  args: string[];
  env: JsonObject[];
  envFrom: JsonObject[];
  node: JsonObject;
}

function containers(o: K8sObject): Container[] {
  return list(get(podTemplate(o), 'spec', 'containers')).map((c) => ({
    name: get(c, 'name') as string,
    image: get(c, 'image') as string,
    args: list(get(c, 'args')) as string[],
    env: list(get(c, 'env')) as JsonObject[],
    envFrom: list(get(c, 'envFrom')) as JsonObject[],
    node: obj(c),
  }));
}

/** The environment Kubernetes would give the container (secrets the operator writes: placeholders). */
function environmentOf(overlay: keyof typeof rendered, workload: K8sObject, c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  const dataOf = (kind: string, name: string, optional: boolean): Record<string, string> => {
    const found = rendered[overlay].find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) {
      if (kind === 'Secret' && (optional || overlay === 'production')) return {};
      throw new Error(`${workload.metadata.name}: ${kind} ${name} is not rendered`);
    }
    const data = obj(found.data) as Record<string, string>;
    return kind === 'Secret'
      ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
      : data;
  };
  for (const from of c.envFrom) {
    if (isObject(from.configMapRef)) Object.assign(env, dataOf('ConfigMap', from.configMapRef.name as string, false));
    if (isObject(from.secretRef)) {
      Object.assign(env, dataOf('Secret', from.secretRef.name as string, from.secretRef.optional === true));
    }
  }
  for (const variable of c.env) {
    const name = variable.name as string;
    if (typeof variable.value === 'string') env[name] = variable.value;
    const ref = obj(get(variable, 'valueFrom', 'secretKeyRef'));
    if (typeof ref.name === 'string') {
      const db = /^(.+)-db-app$/.exec(ref.name);
      // CloudNativePG's <cluster>-app Secret: `uri` is postgresql://<owner>:<password>@<cluster>-rw.<ns>:5432/<database>.
      if (db && ref.key === 'uri')
        env[name] = `postgresql://${db[1]}:pw@${db[1]}-db-rw.ns:5432/${databaseNameFor(db[1])}`;
      else env[name] = dataOf('Secret', ref.name, false)[ref.key as string] ?? '';
    }
    if (get(variable, 'valueFrom', 'fieldRef', 'fieldPath') === 'metadata.name')
      env[name] = `${workload.metadata.name}-7d9f-abcde`;
  }
  return env;
}

function memoryMi(quantity: Json | undefined): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
  if (!match) throw new Error(`unexpected memory quantity ${String(quantity)}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

// ---- NetworkPolicy semantics (same-namespace podSelectors, the only peers used for pods here) ----

type Labels = Record<string, string>;

function selects(selector: Json | undefined, labels: Labels): boolean {
  if (!isObject(selector)) return false;
  if (selector.matchExpressions !== undefined) throw new Error('matchExpressions not modelled by this test');
  return Object.entries(obj(selector.matchLabels)).every(([k, v]) => labels[k] === v);
}

function portAllowed(rule: JsonObject, port: number): boolean {
  const ports = list(rule.ports);
  return ports.length === 0 || ports.some((p) => get(p, 'port') === port && (get(p, 'protocol') ?? 'TCP') === 'TCP');
}

/** Does the set of policies let a pod labelled `from` open a TCP connection to a pod labelled `to` on `port`? */
function reachable(policies: K8sObject[], from: Labels, to: Labels, port: number): boolean {
  const applies = (p: K8sObject, labels: Labels, type: string) =>
    selects(get(p, 'spec', 'podSelector'), labels) && list(get(p, 'spec', 'policyTypes')).includes(type);
  const peerIs = (peer: Json, labels: Labels) =>
    isObject(peer) &&
    peer.namespaceSelector === undefined &&
    peer.ipBlock === undefined &&
    selects(peer.podSelector, labels);
  const egressOk = policies
    .filter((p) => applies(p, from, 'Egress'))
    .some((p) =>
      list(get(p, 'spec', 'egress')).some(
        (rule) =>
          portAllowed(obj(rule), port) &&
          (get(rule, 'to') === undefined || list(get(rule, 'to')).some((peer) => peerIs(peer, to))),
      ),
    );
  const ingressOk = policies
    .filter((p) => applies(p, to, 'Ingress'))
    .some((p) =>
      list(get(p, 'spec', 'ingress')).some(
        (rule) => portAllowed(obj(rule), port) && list(get(rule, 'from')).some((peer) => peerIs(peer, from)),
      ),
    );
  return egressOk && ingressOk;
}

// ---- the tests ----------------------------------------------------------------------------------

describe.each(['dev', 'production'] as const)('k8s/overlays/%s', (overlay) => {
  const services = () => (overlay === 'dev' ? [...PLATFORM, 'bank-sim'] : PLATFORM);

  it('renders only objects the Kubernetes, Strimzi and CloudNativePG schemas accept', () => {
    expect(rendered[overlay].length).toBeGreaterThan(50);
    const problems = rendered[overlay].flatMap(validateObject);
    expect(problems).toEqual([]);
  });

  it('puts everything in one namespace that it also creates', () => {
    const namespace = all(overlay, 'Namespace');
    expect(namespace).toHaveLength(1);
    const name = namespace[0].metadata.name;
    expect(name).toBe(overlay === 'dev' ? 'cashless-dev' : 'cashless');
    for (const o of rendered[overlay].filter((x) => x.kind !== 'Namespace'))
      expect([o.kind, o.metadata.namespace]).toEqual([o.kind, name]);
  });

  it('runs every service from the one image with its real entry point, port and probes', () => {
    const expectedImage =
      overlay === 'dev' ? 'cashless-street:local' : 'registry.example.vn/cashless/cashless-street:0.1.0';
    expect(
      all(overlay, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...services()].sort());
    for (const name of services()) {
      const deployment = one(overlay, 'Deployment', name);
      const [c, ...others] = containers(deployment);
      expect(others).toEqual([]);
      expect(c.image).toBe(expectedImage);
      expect(c.args).toEqual(['node', spec(name).entry]);
      const env = environmentOf(overlay, deployment, c);
      expect(env.PORT).toBe(String(spec(name).port));
      expect(env.HOST).toBe('0.0.0.0');
      expect(list(c.node.ports)).toEqual([{ name: 'http', containerPort: spec(name).port }]);
      // The gateway's /health reflects its upstreams: readiness on it would cascade one service's
      // outage into the whole public origin (see k8s/base/gateway/deployment.yaml).
      const readiness = name === 'gateway' ? '/health/live' : '/health';
      expect([name, get(c.node, 'readinessProbe', 'httpGet')]).toEqual([name, { path: readiness, port: 'http' }]);
      expect(get(c.node, 'livenessProbe', 'httpGet')).toEqual({ path: '/health/live', port: 'http' });

      const service = one(overlay, 'Service', name);
      expect(get(service, 'spec', 'type')).toBe('ClusterIP');
      expect(get(service, 'spec', 'ports')).toEqual([{ name: 'http', port: spec(name).port, targetPort: 'http' }]);
      expect(
        selects(
          { matchLabels: get(service, 'spec', 'selector') ?? null },
          labelsOf(get(podTemplate(deployment), 'metadata', 'labels')),
        ),
      ).toBe(true);
    }
  });

  it('gives every container requests, limits and a locked-down security context', () => {
    const workloads = [...all(overlay, 'Deployment'), ...all(overlay, 'Job')];
    expect(workloads.length).toBe(services().length + 4);
    for (const workload of workloads) {
      const pod = obj(get(podTemplate(workload), 'spec'));
      expect([workload.metadata.name, get(pod, 'securityContext', 'runAsNonRoot')]).toEqual([
        workload.metadata.name,
        true,
      ]);
      expect(get(pod, 'securityContext', 'seccompProfile', 'type')).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of containers(workload)) {
        for (const kind of ['requests', 'limits']) {
          expect(Object.keys(obj(get(c.node, 'resources', kind))).sort()).toEqual(['cpu', 'memory']);
        }
        // The services stay under 200 MB RSS; the limit leaves headroom and no more.
        expect(memoryMi(get(c.node, 'resources', 'limits', 'memory'))).toBeLessThanOrEqual(256);
        expect(get(c.node, 'securityContext')).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('has an HPA and a PDB for every platform service, and a migration Job for every database service', () => {
    for (const name of PLATFORM) {
      const deployment = one(overlay, 'Deployment', name);
      const podLabels = labelsOf(get(podTemplate(deployment), 'metadata', 'labels'));
      const hpa = one(overlay, 'HorizontalPodAutoscaler', name);
      expect(get(hpa, 'spec', 'scaleTargetRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(get(hpa, 'spec', 'minReplicas') as number).toBeLessThanOrEqual(get(hpa, 'spec', 'maxReplicas') as number);
      expect(get(deployment, 'spec', 'replicas')).toBeUndefined();
      const pdb = one(overlay, 'PodDisruptionBudget', name);
      expect(selects(get(pdb, 'spec', 'selector'), podLabels)).toBe(true);

      const jobs = all(overlay, 'Job').filter((j) => containers(j)[0].args[1] === spec(name).entry);
      if (!spec(name).ownsDatabase) {
        expect(jobs).toEqual([]);
        continue;
      }
      expect(jobs).toHaveLength(1);
      expect(containers(jobs[0])[0].args).toEqual(['node', spec(name).entry, 'migrate']);
      expect(get(podTemplate(jobs[0]), 'spec', 'restartPolicy')).toBe('OnFailure');
    }
    expect(all(overlay, 'HorizontalPodAutoscaler')).toHaveLength(PLATFORM.length);
  });

  it("scales Kafka consumers no further than their topics' partitions", () => {
    const partitions = Math.min(
      ...all(overlay, 'KafkaTopic')
        .filter((t) => !t.metadata.name.endsWith('.dlq'))
        .map((t) => get(t, 'spec', 'partitions') as number),
    );
    for (const name of ['payment', 'ledger', 'analytics']) {
      expect(get(one(overlay, 'HorizontalPodAutoscaler', name), 'spec', 'maxReplicas') as number).toBeLessThanOrEqual(
        partitions,
      );
    }
  });

  it('gives each process an environment its own config schemas accept in production mode', () => {
    const configMap = all(overlay, 'ConfigMap');
    expect(configMap).toHaveLength(1);
    const known = new Set([
      ...shapeKeys(serviceEnv),
      'PORT',
      'NODE_OPTIONS',
      'MALLOC_ARENA_MAX',
      ...Object.values(SCHEMAS).flat().flatMap(shapeKeys),
    ]);
    expect(Object.keys(obj(configMap[0].data)).filter((key) => !known.has(key))).toEqual([]);
    for (const name of services()) {
      const deployment = one(overlay, 'Deployment', name);
      const env = environmentOf(overlay, deployment, containers(deployment)[0]);
      expect(env.NODE_ENV).toBe('production');
      const schemas = bootSchemas(name);
      const own = new Set(['NODE_OPTIONS', ...schemas.flatMap(shapeKeys)]);
      const specific = [...containers(deployment)[0].env.map((e) => e.name as string)];
      expect(specific.filter((key) => !own.has(key))).toEqual([]);
      // In production the Secrets are created outside git: their keys cannot be checked here.
      if (overlay === 'dev') for (const schema of schemas) expect(() => loadConfig(schema, env)).not.toThrow();
    }
    for (const job of all(overlay, 'Job')) {
      const env = environmentOf(overlay, job, containers(job)[0]);
      expect(() => loadConfig(migrateEnv, env)).not.toThrow();
    }
  });

  it('keeps secrets out of ConfigMaps and plain env values', () => {
    const secretish = /SECRET|PASSWORD|SALT|TOKEN|KEY$/;
    expect(Object.keys(obj(all(overlay, 'ConfigMap')[0].data)).filter((k) => secretish.test(k))).toEqual([]);
    for (const workload of [...all(overlay, 'Deployment'), ...all(overlay, 'Job')]) {
      for (const c of containers(workload)) {
        expect(c.env.filter((e) => secretish.test(e.name as string) && e.value !== undefined)).toEqual([]);
      }
    }
    const secrets = all(overlay, 'Secret');
    if (overlay === 'production') expect(secrets).toEqual([]);
    else
      expect(secrets.map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual([
        'analytics-secrets',
        'merchant-secrets',
        'payment-secrets',
      ]);
  });

  it('exposes only the gateway outside the namespace', () => {
    for (const service of all(overlay, 'Service')) expect(get(service, 'spec', 'type')).toBe('ClusterIP');
    const ingresses = all(overlay, 'Ingress');
    expect(ingresses).toHaveLength(1);
    const backends = list(get(ingresses[0], 'spec', 'rules')).flatMap((rule) =>
      list(get(rule, 'http', 'paths')).map((path) => get(path, 'backend', 'service', 'name')),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    if (overlay === 'production') expect(list(get(ingresses[0], 'spec', 'tls'))).toHaveLength(1);

    const gatewayPods = labelsOf(get(podTemplate(one(overlay, 'Deployment', 'gateway')), 'metadata', 'labels'));
    const operators = new Set(['cnpg-system', 'strimzi']);
    for (const policy of all(overlay, 'NetworkPolicy')) {
      for (const rule of list(get(policy, 'spec', 'ingress'))) {
        const peers = list(get(rule, 'from'));
        // A rule without `from` admits every source, inside the cluster and out.
        expect([policy.metadata.name, peers.length > 0]).toEqual([policy.metadata.name, true]);
        for (const peer of peers) {
          expect([policy.metadata.name, get(peer, 'ipBlock')]).toEqual([policy.metadata.name, undefined]);
          const namespace = get(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name');
          if (get(peer, 'namespaceSelector') === undefined) continue;
          if (namespace === 'ingress-nginx') {
            expect([policy.metadata.name, selects(get(policy, 'spec', 'podSelector'), gatewayPods)]).toEqual([
              policy.metadata.name,
              true,
            ]);
            expect(get(policy, 'spec', 'podSelector', 'matchLabels', 'app.kubernetes.io/name')).toBe('gateway');
          } else {
            // Operators manage their own clusters' pods, never the services.
            expect([policy.metadata.name, operators.has(namespace as string)]).toEqual([policy.metadata.name, true]);
            const target = obj(get(policy, 'spec', 'podSelector', 'matchLabels'));
            expect(Object.keys(target).some((k) => k === 'cnpg.io/cluster' || k === 'strimzi.io/cluster')).toBe(true);
          }
        }
      }
    }
  });

  it('denies by default and allows exactly the calls the services make, their own database and Kafka', () => {
    const policies = all(overlay, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(get(deny, 'spec')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const pods: Record<string, Labels> = Object.fromEntries(
      services().map((name) => [
        name,
        labelsOf(get(podTemplate(one(overlay, 'Deployment', name)), 'metadata', 'labels')),
      ]),
    );
    for (const from of services()) {
      for (const to of services()) {
        const expected = CALLS[from].includes(to);
        expect([from, to, reachable(policies, pods[from], pods[to], spec(to).port)]).toEqual([from, to, expected]);
      }
    }

    const databases = all(overlay, 'Cluster').map((c) => c.metadata.name);
    expect(databases.sort()).toEqual(
      PLATFORM.filter((s) => spec(s).ownsDatabase)
        .map((s) => `${s}-db`)
        .sort(),
    );
    const migrations = Object.fromEntries(
      all(overlay, 'Job').map((j) => [
        j.metadata.name.replace(/-migrate$/, ''),
        labelsOf(get(podTemplate(j), 'metadata', 'labels')),
      ]),
    );
    for (const database of databases) {
      const dbPod = { 'cnpg.io/cluster': database, 'cnpg.io/instanceRole': 'primary' };
      for (const name of services()) {
        const own = database === `${name}-db`;
        expect([name, database, reachable(policies, pods[name], dbPod, 5432)]).toEqual([name, database, own]);
        if (migrations[name])
          expect([`${name}-migrate`, database, reachable(policies, migrations[name], dbPod, 5432)]).toEqual([
            `${name}-migrate`,
            database,
            own,
          ]);
      }
    }

    const kafka = all(overlay, 'Kafka')[0];
    const broker = {
      'strimzi.io/cluster': kafka.metadata.name,
      'strimzi.io/kind': 'Kafka',
      'strimzi.io/pool-name': 'dual-role',
    };
    for (const name of services()) {
      const expected = spec(name).ownsDatabase;
      expect([name, 'kafka', reachable(policies, pods[name], broker, 9092)]).toEqual([name, 'kafka', expected]);
    }
  });

  it("supports the documented two-step apply: `-l 'app.kubernetes.io/component!=api'` first", () => {
    const firstStep = rendered[overlay].filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] !== 'api');
    const kinds = new Set(firstStep.map((o) => o.kind));
    expect(kinds.has('Deployment')).toBe(false);
    for (const kind of ['Namespace', 'ConfigMap', 'Kafka', 'KafkaNodePool', 'KafkaTopic', 'Cluster', 'Job']) {
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    }
    expect(firstStep.filter((o) => o.kind === 'Job')).toHaveLength(all(overlay, 'Job').length);
    // The migration Jobs can reach their databases with the first step's policies alone.
    const policies = firstStep.filter((o) => o.kind === 'NetworkPolicy');
    for (const job of all(overlay, 'Job')) {
      const name = job.metadata.name.replace(/-migrate$/, '');
      const labels = labelsOf(get(podTemplate(job), 'metadata', 'labels'));
      expect([name, reachable(policies, labels, { 'cnpg.io/cluster': `${name}-db` }, 5432)]).toEqual([name, true]);
    }
  });

  it('declares a KRaft Strimzi cluster and a KafkaTopic for every platform topic', () => {
    const [kafka, ...more] = all(overlay, 'Kafka');
    expect(more).toEqual([]);
    expect(kafka.metadata.annotations).toMatchObject({
      'strimzi.io/node-pools': 'enabled',
      'strimzi.io/kraft': 'enabled',
    });
    expect(get(kafka, 'spec', 'zookeeper')).toBeUndefined();
    const config = obj(get(kafka, 'spec', 'kafka', 'config'));
    expect(config['auto.create.topics.enable']).toBe(false);
    const pools = all(overlay, 'KafkaNodePool');
    expect(pools.map((p) => p.metadata.labels?.['strimzi.io/cluster'])).toEqual([kafka.metadata.name]);
    expect(list(get(pools[0], 'spec', 'roles')).sort()).toEqual(['broker', 'controller']);
    const nodes = get(pools[0], 'spec', 'replicas') as number;
    expect(nodes).toBe(overlay === 'dev' ? 1 : 3);
    expect(config['default.replication.factor']).toBe(nodes);
    expect(config['offsets.topic.replication.factor']).toBe(nodes);

    // The services reach the cluster through its bootstrap Service on the plain listener.
    const plain = list(get(kafka, 'spec', 'kafka', 'listeners')).find((l) => get(l, 'name') === 'plain');
    expect(get(plain, 'tls')).toBe(false);
    expect(obj(all(overlay, 'ConfigMap')[0].data).KAFKA_BROKERS).toBe(
      `${kafka.metadata.name}-kafka-bootstrap:${String(get(plain, 'port'))}`,
    );

    const topics = all(overlay, 'KafkaTopic');
    const expected = platformTopics();
    expect(topics.map((t) => get(t, 'spec', 'topicName')).sort()).toEqual(expected.map((t) => t.name).sort());
    for (const topic of expected) {
      const resource = topics.find((t) => get(t, 'spec', 'topicName') === topic.name) as K8sObject;
      expect(resource.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
      expect([topic.name, get(resource, 'spec', 'partitions')]).toEqual([topic.name, topic.partitions]);
      expect([topic.name, get(resource, 'spec', 'replicas')]).toEqual([topic.name, nodes]);
      const topicConfig = obj(get(resource, 'spec', 'config'));
      // A write must survive one broker loss where there are brokers to lose.
      expect(topicConfig['min.insync.replicas']).toBe(nodes > 1 ? nodes - 1 : 1);
      // Gone from Kafka before the consumers forget the event ids (inbox retention).
      expect(topicConfig['retention.ms'] as number).toBeLessThan(INBOX_RETENTION_DAYS * 86_400_000);
    }
  });

  it('gives every database service its own CloudNativePG cluster', () => {
    for (const name of PLATFORM.filter((s) => spec(s).ownsDatabase)) {
      const cluster = one(overlay, 'Cluster', `${name}-db`);
      expect(get(cluster, 'spec', 'bootstrap', 'initdb', 'database')).toBe(databaseNameFor(name));
      expect(get(cluster, 'spec', 'instances')).toBe(overlay === 'dev' ? 1 : 3);
      expect(get(cluster, 'spec', 'enableSuperuserAccess')).toBe(false);
      const deployment = one(overlay, 'Deployment', name);
      const url = containers(deployment)[0].env.find((e) => e.name === 'DATABASE_URL');
      expect(get(url, 'valueFrom', 'secretKeyRef')).toEqual({ name: `${name}-db-app`, key: 'uri' });
      if (overlay === 'dev') {
        expect(get(cluster, 'spec', 'backup')).toBeUndefined();
        continue;
      }
      const store = obj(get(cluster, 'spec', 'backup', 'barmanObjectStore'));
      expect(get(store, 's3Credentials', 'accessKeyId', 'name')).toBe('cashless-backup-s3');
      expect(get(cluster, 'spec', 'postgresql', 'synchronous')).toEqual({ method: 'any', number: 1 });
      const scheduled = all(overlay, 'ScheduledBackup').filter(
        (b) => get(b, 'spec', 'cluster', 'name') === cluster.metadata.name,
      );
      expect(scheduled).toHaveLength(1);
    }
  });
});

describe('the k8s tree', () => {
  it('commits no Secret and ignores the dev secret files', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) {
          if (path !== join(K8S, 'test')) walk(path);
        } else files.push(path);
      }
    };
    walk(K8S);
    const objects = files.filter((f) => /\.ya?ml$/.test(f) && !f.endsWith('kustomization.yaml')).flatMap(loadObjects);
    expect(objects.length).toBeGreaterThan(40);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    // Only *.env.example files beside the dev overlay's generator, never a filled-in *.env.
    const ignored = readFileSync(join(REPO, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain('k8s/overlays/dev/secrets/*.env');
    expect(
      readdirSync(join(K8S, 'overlays/dev/secrets'))
        .filter((f) => f.endsWith('.example'))
        .sort(),
    ).toEqual(['analytics.env.example', 'merchant.env.example', 'payment.env.example']);
  });

  it('documents every Secret that production expects to exist', () => {
    const docs = readFileSync(join(REPO, 'docs/deployment.md'), 'utf8');
    const referenced = new Set<string>();
    for (const o of rendered.production) {
      JSON.stringify(o, (key, value: unknown) => {
        if ((key === 'secretRef' || key === 'secretKeyRef') && isObject(value as Json))
          referenced.add((value as { name: string }).name);
        if (key === 'secretName' && typeof value === 'string') referenced.add(value);
        if (key === 'accessKeyId' && isObject(value as Json)) referenced.add((value as { name: string }).name);
        return value;
      });
    }
    // <cluster>-app Secrets are written by the CloudNativePG operator.
    const byHand = [...referenced].filter((name) => !name.endsWith('-db-app')).sort();
    expect(byHand).toEqual([
      'analytics-secrets',
      'cashless-backup-s3',
      'cashless-tls',
      'ledger-secrets',
      'merchant-secrets',
      'payment-secrets',
    ]);
    for (const name of byHand) expect([name, docs.includes(name)]).toEqual([name, true]);
  });

  it('validation rejects what the API server would: wrong types, unknown fields, bad custom resources', () => {
    const clone = (o: K8sObject): K8sObject => JSON.parse(JSON.stringify(o)) as K8sObject;
    const deployment = clone(one('production', 'Deployment', 'payment'));
    expect(validateObject(deployment)).toEqual([]);

    const typo = clone(deployment);
    const container = obj(get(podTemplate(typo), 'spec', 'containers', 0));
    container.readinessProbes = container.readinessProbe;
    delete container.readinessProbe;
    expect(validateObject(typo)).toEqual([
      'Deployment/payment: unknown field .spec.template.spec.containers[0].readinessProbes',
    ]);

    const wrongType = clone(deployment);
    obj(wrongType.spec).replicas = 'two';
    expect(validateObject(wrongType).join('\n')).toMatch(/replicas must be integer/);

    const badTopic = clone(one('production', 'KafkaTopic', 'payment.events.v1'));
    obj(badTopic.spec).partitions = 0;
    expect(validateObject(badTopic).join('\n')).toMatch(/partitions must be >= 1/);

    const badKafka = clone(all('production', 'Kafka')[0]);
    obj(get(badKafka, 'spec', 'kafka')).listener = [];
    expect(validateObject(badKafka).join('\n')).toMatch(/must NOT have additional properties.*listener/);

    const badListener = clone(all('production', 'Kafka')[0]);
    obj(get(badListener, 'spec', 'kafka', 'listeners', 0)).type = 'public';
    expect(validateObject(badListener).join('\n')).toMatch(
      /listeners\/0\/type must be equal to one of the allowed values/,
    );

    const badCluster = clone(one('production', 'Cluster', 'ledger-db'));
    obj(badCluster.spec).instances = 0;
    obj(get(badCluster, 'spec', 'backup')).retentionPolicy = '30 days';
    const clusterProblems = validateObject(badCluster).join('\n');
    expect(clusterProblems).toMatch(/instances must be >= 1/);
    expect(clusterProblems).toMatch(/retentionPolicy must match pattern/);

    const badMeta = clone(one('production', 'KafkaTopic', 'ledger.events.v1'));
    badMeta.metadata.labels = { 'strimzi.io/cluster': 'not a valid value!' };
    badMeta.metadata.lables = {};
    const metaProblems = validateObject(badMeta).join('\n');
    expect(metaProblems).toMatch(/label strimzi.io\/cluster has an invalid value/);
    expect(metaProblems).toMatch(/unknown field .metadata.lables/);

    const unknownKind: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(validateObject(unknownKind)).toEqual(['Widget/w: no schema for example.com/v1/Widget']);
    expect(existsSync(join(K8S, 'test/schemas/strimzi/Kafka.v1beta2.json'))).toBe(true);
  });
});
