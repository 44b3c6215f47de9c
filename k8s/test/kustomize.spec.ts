import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type K8sObject,
  KustomizeError,
  kustomize,
  kustomizeHash,
  parseEnvFile,
  parseImage,
  strategicMerge,
} from './kustomize';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** Writes a throwaway tree of files and returns its folder. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kustomize-spec-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: cashless-street:old
          env:
            - { name: A, value: "1" }
            - { name: B, value: "2" }
          envFrom:
            - configMapRef: { name: settings }
            - secretRef: { name: keys }
        - name: sidecar
          image: busybox:1.36
      volumes:
        - name: settings
          configMap: { name: settings }
`;

function find(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name.startsWith(name)));
  if (!found) throw new Error(`${kind}/${name ?? '*'} not rendered`);
  return found;
}

describe('kustomize renderer', () => {
  it('reproduces kustomize content hashes (its api/hasher test vectors)', () => {
    const cm = (data: Record<string, string>): K8sObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: '' },
      data,
    });
    expect(kustomizeHash(cm({}), '')).toBe('42745tchd9');
    expect(kustomizeHash(cm({ one: '' }), '')).toBe('9g67k2htb6');
    expect(kustomizeHash(cm({ two: '2', one: '', three: '3' }), '')).toBe('f5h7t85m9b');
    const secret = (data: Record<string, string>): K8sObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'my-type',
      metadata: { name: '' },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    });
    expect(kustomizeHash(secret({}), '')).toBe('t75bgf6ctb');
    expect(kustomizeHash(secret({ one: '' }), '')).toBe('74bd68bm66');
    expect(kustomizeHash(secret({ two: '2', one: '', three: '3' }), '')).toBe('dgcb6h9tmk');
  });

  it('renders nested bases, then the overlay: namespace, labels, images, generators and references', () => {
    const root = tree({
      'base/kustomization.yaml': `
resources: [app]
configMapGenerator:
  - name: settings
    literals: [MODE=base, LEVEL=info]
`,
      'base/app/kustomization.yaml': 'resources: [deployment.yaml, namespace.yaml]\n',
      'base/app/deployment.yaml': deployment,
      'base/app/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'overlay/kustomization.yaml': `
namespace: shop
resources: [../base]
labels:
  - pairs: { app.kubernetes.io/part-of: cashless-street }
    includeTemplates: true
images:
  - name: cashless-street
    newName: registry.example:5000/cashless-street
    newTag: "1.2.3"
configMapGenerator:
  - name: settings
    behavior: merge
    literals: [LEVEL=debug]
secretGenerator:
  - name: keys
    envs: [keys.env]
`,
      'overlay/keys.env': '# a comment\n\nTOKEN=s3cr=t\n',
    });
    const objects = kustomize(join(root, 'overlay'));
    const dep = find(objects, 'Deployment', 'web');
    const cm = find(objects, 'ConfigMap', 'settings-');
    const secret = find(objects, 'Secret', 'keys-');

    expect(dep.metadata.namespace).toBe('shop');
    expect(find(objects, 'Namespace').metadata.namespace).toBeUndefined();
    expect(dep.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'cashless-street' });
    const template = (
      dep.spec as {
        template: {
          metadata: { labels: Record<string, string> };
          spec: { containers: { image: string; envFrom: unknown[] }[]; volumes: unknown[] };
        };
      }
    ).template;
    expect(template.metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/part-of': 'cashless-street' });
    // Selectors stay as written (labels.includeSelectors is off).
    expect((dep.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'web' } });

    const containers = template.spec.containers;
    expect(containers.map((c) => c.image)).toEqual(['registry.example:5000/cashless-street:1.2.3', 'busybox:1.36']);

    // The merged ConfigMap carries both values; its name is the hash of the merged data.
    expect(cm.data).toEqual({ MODE: 'base', LEVEL: 'debug' });
    expect(cm.metadata.name).toBe(`settings-${kustomizeHash(cm, 'settings')}`);
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from((secret.data as { TOKEN: string }).TOKEN, 'base64').toString()).toBe('s3cr=t');
    expect(containers[0].envFrom).toEqual([
      { configMapRef: { name: cm.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    expect(template.spec.volumes).toEqual([{ name: 'settings', configMap: { name: cm.metadata.name } }]);
  });

  it('applies strategic merge patches by name, and to every object of a target kind', () => {
    const root = tree({
      'kustomization.yaml': `
resources: [deployment.yaml, hpa.yaml]
patches:
  - path: patch.yaml
  - target: { kind: HorizontalPodAutoscaler }
    patch: |
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata: { name: ignored }
      spec: { maxReplicas: 2 }
`,
      'deployment.yaml': deployment,
      'hpa.yaml': ['a', 'b']
        .map(
          (n) =>
            `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: ${n} }\nspec: { minReplicas: 1, maxReplicas: 9 }\n`,
        )
        .join('---\n'),
      'patch.yaml': `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          env:
            - { name: B, value: "20" }
            - { name: C, value: "3" }
        - name: sidecar
          $patch: delete
`,
    });
    const objects = kustomize(root);
    const containers = (find(objects, 'Deployment').spec as { template: { spec: { containers: JsonLike[] } } }).template
      .spec.containers;
    expect(containers).toHaveLength(1);
    expect(containers[0].image).toBe('cashless-street:old');
    expect(containers[0].env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '20' },
      { name: 'C', value: '3' },
    ]);
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => [o.metadata.name, o.spec])).toEqual([
      ['a', { minReplicas: 1, maxReplicas: 2 }],
      ['b', { minReplicas: 1, maxReplicas: 2 }],
    ]);
  });

  it('merges maps, deletes with null, replaces lists without a merge key', () => {
    expect(
      strategicMerge({ a: { b: 1, c: 2 }, list: [1, 2], gone: true }, { a: { c: 3 }, list: [3], gone: null }),
    ).toEqual({
      a: { b: 1, c: 3 },
      list: [3],
    });
  });

  it('refuses what it does not implement instead of ignoring it', () => {
    const unknownField = tree({ 'kustomization.yaml': 'resources: []\nreplicas: [{ name: web, count: 2 }]\n' });
    expect(() => kustomize(unknownField)).toThrow(/field "replicas" is not supported/);
    const selectors = tree({
      'kustomization.yaml': 'resources: []\nlabels: [{ pairs: { a: b }, includeSelectors: true }]\n',
    });
    expect(() => kustomize(selectors)).toThrow(KustomizeError);
    const dangling = tree({
      'kustomization.yaml': 'resources: [d.yaml]\npatches: [{ path: p.yaml }]\n',
      'd.yaml': deployment,
      'p.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: other }\nspec: {}\n',
    });
    expect(() => kustomize(dangling)).toThrow(/matches no resource/);
    const missingEnv = tree({ 'kustomization.yaml': 'secretGenerator: [{ name: s, envs: [absent.env] }]\n' });
    expect(() => kustomize(missingEnv)).toThrow(/absent.env does not exist/);
    const twice = tree({
      'kustomization.yaml': 'resources: [d.yaml, e.yaml]\n',
      'd.yaml': deployment,
      'e.yaml': deployment,
    });
    expect(() => kustomize(twice)).toThrow(/defined twice/);
  });

  it('parses env files and image references like kustomize', () => {
    expect(parseEnvFile('  A=1\n# B=2\n\nC=c\nD=x=y\n', 'test')).toEqual({ A: '1', C: 'c', D: 'x=y' });
    expect(() => parseEnvFile('NOVALUE\n', 'test')).toThrow(KustomizeError);
    expect(parseImage('registry:5000/team/app:1.0')).toEqual({ name: 'registry:5000/team/app', suffix: ':1.0' });
    expect(parseImage('registry:5000/team/app')).toEqual({ name: 'registry:5000/team/app', suffix: '' });
    expect(parseImage('app@sha256:abc')).toEqual({ name: 'app', suffix: '@sha256:abc' });
  });
});

type JsonLike = { image?: string; env?: unknown };
