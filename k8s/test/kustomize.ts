import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A small kustomize renderer: the subset of `kubectl kustomize` this repository's k8s/ tree uses,
 * so tests can check exactly what would be applied without a kustomize binary. Anything outside
 * the subset (an unknown kustomization field, a patch target that matches nothing, a generator
 * merging into a missing base) throws instead of being silently ignored.
 *
 * Supported: resources (files and directories), namespace, labels (pairs, includeTemplates),
 * patches (strategic merge, inline or from a file, optional kind/name target), images,
 * configMapGenerator / secretGenerator (literals, envs; behavior create/merge/replace; the
 * kustomize content hash suffix and the rewrite of references to generated names) and
 * generatorOptions.disableNameSuffixHash.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A Kubernetes object as rendered (apiVersion, kind, metadata.name always present). */
export interface K8sObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string; labels?: Record<string, string> };
}

interface Generated {
  /** Name before the hash suffix, the name overlays refer to. */
  baseName: string;
  hashed: boolean;
}

interface Rendered {
  objects: K8sObject[];
  /** Objects made by a generator, with their unsuffixed names. */
  generated: Map<K8sObject, Generated>;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'patches',
  'images',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);

/** Kinds the namespace transformer leaves alone (cluster-scoped). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

/** Kinds with a pod template at spec.template (labels.includeTemplates, images, name references). */
const POD_TEMPLATE_PATH: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Merge keys of the lists the strategic merge patch merges by element (from the Kubernetes API). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
};

export class KustomizeError extends Error {}

/** Renders the kustomization in `dir` the way `kubectl kustomize dir` would (for the supported subset). */
export function kustomize(dir: string): K8sObject[] {
  return render(resolve(dir)).objects;
}

function render(dir: string): Rendered {
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new KustomizeError(`no kustomization file in ${dir}`);
  const k = asObject(parseSingle(file), file);
  for (const key of Object.keys(k)) {
    if (!KNOWN_FIELDS.has(key)) throw new KustomizeError(`${file}: field "${key}" is not supported by this renderer`);
  }

  const objects: K8sObject[] = [];
  const generated = new Map<K8sObject, Generated>();
  for (const entry of asStrings(k.resources ?? [], `${file} resources`)) {
    const path = join(dir, entry);
    if (!existsSync(path)) throw new KustomizeError(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) {
      const inner = render(path);
      objects.push(...inner.objects);
      for (const [obj, info] of inner.generated) generated.set(obj, info);
    } else {
      objects.push(...loadObjects(path));
    }
  }
  assertUnique(objects, file);

  // Generators, then transformers, in kustomize's order; hashes and name references last.
  const options = asObject(k.generatorOptions ?? {}, `${file} generatorOptions`);
  const changed = new Set<K8sObject>();
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const raw of asArray(k[field] ?? [], `${file} ${field}`)) {
      generate(asObject(raw, `${file} ${field}`), kind, dir, options, objects, generated, changed);
    }
  }
  for (const raw of asArray(k.patches ?? [], `${file} patches`))
    applyPatch(asObject(raw, `${file} patches`), dir, objects);
  if (k.namespace !== undefined) {
    const namespace = asString(k.namespace, `${file} namespace`);
    for (const obj of objects) if (!CLUSTER_SCOPED.has(obj.kind)) obj.metadata.namespace = namespace;
  }
  for (const raw of asArray(k.labels ?? [], `${file} labels`))
    applyLabels(asObject(raw, `${file} labels`), objects, file);
  for (const raw of asArray(k.images ?? [], `${file} images`)) applyImage(asObject(raw, `${file} images`), objects);
  for (const obj of changed) renameGenerated(obj, generated.get(obj) as Generated, objects);
  return { objects, generated };
}

// ---- loading ----------------------------------------------------------------------------------

function parseSingle(file: string): Json {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  if (docs.length !== 1) throw new KustomizeError(`${file}: expected one YAML document`);
  return toJson(docs[0], file);
}

/** Every non-empty document of a YAML file, checked to be a Kubernetes object. */
export function loadObjects(file: string): K8sObject[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  return docs
    .map((doc) => toJson(doc, file))
    .filter((value) => value !== null)
    .map((value) => asK8sObject(value, file));
}

function toJson(doc: ReturnType<typeof parseAllDocuments>[number], file: string): Json {
  if (!('errors' in doc)) throw new KustomizeError(`${file}: not a YAML document`);
  if (doc.errors.length > 0) throw new KustomizeError(`${file}: ${doc.errors[0].message}`);
  return doc.toJS({ maxAliasCount: 0 }) as Json;
}

function asK8sObject(value: Json, where: string): K8sObject {
  const obj = asObject(value, where);
  const metadata = obj.metadata;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    throw new KustomizeError(`${where}: an object without apiVersion/kind`);
  }
  if (!isObject(metadata) || typeof metadata.name !== 'string') {
    throw new KustomizeError(`${where}: ${obj.kind} without metadata.name`);
  }
  return obj as K8sObject;
}

function assertUnique(objects: K8sObject[], file: string): void {
  const seen = new Set<string>();
  for (const obj of objects) {
    const id = idOf(obj);
    if (seen.has(id)) throw new KustomizeError(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
}

function idOf(obj: K8sObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

// ---- generators ---------------------------------------------------------------------------------

function generate(
  spec: JsonObject,
  kind: 'ConfigMap' | 'Secret',
  dir: string,
  globalOptions: JsonObject,
  objects: K8sObject[],
  generated: Map<K8sObject, Generated>,
  changed: Set<K8sObject>,
): void {
  const where = `${kind} generator ${JSON.stringify(spec.name)}`;
  const name = asString(spec.name, where);
  const behavior = spec.behavior === undefined ? 'create' : asString(spec.behavior, where);
  for (const key of Object.keys(spec)) {
    if (!['name', 'behavior', 'literals', 'envs', 'type', 'options'].includes(key)) {
      throw new KustomizeError(`${where}: field "${key}" is not supported by this renderer`);
    }
  }
  const data: Record<string, string> = {};
  for (const literal of asStrings(spec.literals ?? [], where)) {
    const [key, value] = splitAssignment(literal, where);
    data[key] = value;
  }
  for (const envFile of asStrings(spec.envs ?? [], where)) {
    const path = join(dir, envFile);
    if (!existsSync(path)) throw new KustomizeError(`${where}: env file ${envFile} does not exist`);
    Object.assign(data, parseEnvFile(readFileSync(path, 'utf8'), path));
  }
  const options = { ...globalOptions, ...asObject(spec.options ?? {}, where) };
  const hashed = options.disableNameSuffixHash !== true;

  if (behavior === 'create') {
    const obj: K8sObject = { apiVersion: 'v1', kind, metadata: { name } };
    if (isObject(options.labels)) obj.metadata.labels = { ...(options.labels as Record<string, string>) };
    setData(obj, data);
    if (kind === 'Secret') obj.type = spec.type === undefined ? 'Opaque' : asString(spec.type, where);
    objects.push(obj);
    generated.set(obj, { baseName: name, hashed });
    changed.add(obj);
    return;
  }
  if (behavior !== 'merge' && behavior !== 'replace') throw new KustomizeError(`${where}: behavior ${behavior}`);
  const base = [...generated].find(([obj, info]) => obj.kind === kind && info.baseName === name)?.[0];
  if (!base) throw new KustomizeError(`${where}: behavior ${behavior} but no ${kind} ${name} was generated below`);
  const previous = kind === 'Secret' ? decodeSecretData(base) : ((base.data ?? {}) as Record<string, string>);
  setData(base, behavior === 'merge' ? { ...previous, ...data } : data);
  changed.add(base);
}

function setData(obj: K8sObject, data: Record<string, string>): void {
  obj.data =
    obj.kind === 'Secret'
      ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]))
      : { ...data };
}

function decodeSecretData(obj: K8sObject): Record<string, string> {
  const data = (obj.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

function splitAssignment(line: string, where: string): [string, string] {
  const at = line.indexOf('=');
  if (at <= 0) throw new KustomizeError(`${where}: "${line}" is not KEY=VALUE`);
  return [line.slice(0, at).trim(), line.slice(at + 1)];
}

/** kustomize's env-file format: KEY=VALUE lines; blank lines and # comments skipped; no quoting. */
export function parseEnvFile(text: string, where: string): Record<string, string> {
  const data: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const [key, value] = splitAssignment(line, where);
    data[key] = value;
  }
  return data;
}

/**
 * kustomize's content hash of a generated ConfigMap/Secret (api/hasher): SHA-256 over the JSON of
 * {kind, name, data} (Secrets add type) with sorted keys, first 10 hex digits with 0,1,3,a,e
 * replaced by g,h,k,m,t so the suffix never looks like a number or a word.
 */
export function kustomizeHash(obj: K8sObject, name: string): string {
  const encoded: JsonObject = { kind: obj.kind, name, data: obj.data ?? {} };
  if (obj.kind === 'Secret') encoded.type = obj.type ?? 'Opaque';
  if (obj.immutable !== undefined) encoded.immutable = obj.immutable;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

/** JSON as Go's encoding/json writes it: map keys sorted, <, > and & escaped. */
function goJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${goJson(key)}:${goJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Gives a generated object its final (hashed) name and points every reference at it. */
function renameGenerated(obj: K8sObject, info: Generated, objects: K8sObject[]): void {
  const oldName = obj.metadata.name;
  const newName = info.hashed ? `${info.baseName}-${kustomizeHash(obj, info.baseName)}` : info.baseName;
  obj.metadata.name = newName;
  const kind = obj.kind as 'ConfigMap' | 'Secret';
  for (const other of objects) {
    const template = podTemplate(other);
    const spec = template && isObject(template.spec) ? template.spec : undefined;
    if (!spec) continue;
    for (const name of new Set([oldName, info.baseName])) renamePodReferences(spec, kind, name, newName);
  }
}

function renamePodReferences(spec: JsonObject, kind: 'ConfigMap' | 'Secret', from: string, to: string): void {
  const rename = (ref: Json | undefined): void => {
    if (isObject(ref) && ref.name === from) ref.name = to;
  };
  const refKey = kind === 'ConfigMap' ? 'configMapRef' : 'secretRef';
  const keyRef = kind === 'ConfigMap' ? 'configMapKeyRef' : 'secretKeyRef';
  for (const container of [...asArrayOr(spec.containers), ...asArrayOr(spec.initContainers)]) {
    if (!isObject(container)) continue;
    for (const source of asArrayOr(container.envFrom)) if (isObject(source)) rename(source[refKey]);
    for (const env of asArrayOr(container.env)) {
      if (isObject(env) && isObject(env.valueFrom)) rename(env.valueFrom[keyRef]);
    }
  }
  for (const volume of asArrayOr(spec.volumes)) {
    if (!isObject(volume)) continue;
    if (kind === 'ConfigMap') rename(volume.configMap);
    else if (isObject(volume.secret) && volume.secret.secretName === from) volume.secret.secretName = to;
  }
}

// ---- transformers -------------------------------------------------------------------------------

function applyPatch(spec: JsonObject, dir: string, objects: K8sObject[]): void {
  for (const key of Object.keys(spec)) {
    if (!['path', 'patch', 'target'].includes(key)) throw new KustomizeError(`patch field "${key}" is not supported`);
  }
  const patches =
    spec.path !== undefined
      ? loadObjects(join(dir, asString(spec.path, 'patch path')))
      : parseAllDocuments(asString(spec.patch, 'patch'))
          .map((doc) => toJson(doc, 'inline patch'))
          .map((value) => asK8sObject(value, 'inline patch'));
  const target = spec.target === undefined ? undefined : asObject(spec.target, 'patch target');
  for (const patch of patches) {
    if (patch.kind === 'Json6902' || Array.isArray(patch))
      throw new KustomizeError('JSON 6902 patches are not supported');
    const matches = objects.filter((obj) =>
      target
        ? (target.kind === undefined || target.kind === obj.kind) &&
          (target.name === undefined || target.name === obj.metadata.name)
        : obj.kind === patch.kind && obj.metadata.name === patch.metadata.name,
    );
    if (matches.length === 0) {
      throw new KustomizeError(`patch ${patch.kind}/${patch.metadata.name} matches no resource`);
    }
    for (const obj of matches) {
      const { metadata: _ignored, ...body } = patch;
      const merged = strategicMerge(
        obj,
        { ...body, metadata: { ...patch.metadata, name: obj.metadata.name } },
        '',
        isBuiltInKind(obj.apiVersion),
      );
      for (const key of Object.keys(obj)) delete obj[key];
      Object.assign(obj, merged);
    }
  }
}

/**
 * Built-in API groups (core, apps, batch, *.k8s.io) carry merge keys in their schema; kustomize
 * knows none for custom resources, whose lists a patch replaces whole.
 */
function isBuiltInKind(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * Strategic merge patch (the part manifests use): maps merge recursively, `null` deletes a key,
 * lists with a known merge key merge element by element (`$patch: delete` removes one), other
 * lists are replaced. `mergeKeys` false: every list is replaced (custom resources).
 */
export function strategicMerge(target: Json, patch: Json, field = '', mergeKeys = true): Json {
  if (isObject(patch)) {
    if (patch.$patch === 'delete') return null;
    if (patch.$patch === 'replace') {
      const { $patch: _replace, ...rest } = patch;
      return rest;
    }
    const result: JsonObject = isObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete result[key];
      else {
        const merged = strategicMerge(result[key] ?? null, value, key, mergeKeys);
        if (merged === null) delete result[key];
        else result[key] = merged;
      }
    }
    return result;
  }
  if (mergeKeys && Array.isArray(patch) && Array.isArray(target) && MERGE_KEYS[field]) {
    const key = MERGE_KEYS[field];
    const result = [...target];
    for (const item of patch) {
      if (!isObject(item) || item[key] === undefined) throw new KustomizeError(`${field}: element without ${key}`);
      const at = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
      if (item.$patch === 'delete') {
        if (at >= 0) result.splice(at, 1);
      } else if (at >= 0) result[at] = strategicMerge(result[at], item, field, mergeKeys);
      else result.push(item);
    }
    return result;
  }
  return patch;
}

function applyLabels(spec: JsonObject, objects: K8sObject[], file: string): void {
  if (spec.includeSelectors === true) {
    // Selectors are immutable once applied and NetworkPolicies select by them: kept explicit.
    throw new KustomizeError(`${file}: labels.includeSelectors is not supported by this renderer`);
  }
  const pairs = asObject(spec.pairs ?? {}, `${file} labels.pairs`) as Record<string, string>;
  for (const obj of objects) {
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...pairs };
    const template = spec.includeTemplates === true ? podTemplate(obj) : undefined;
    if (template) {
      const metadata = isObject(template.metadata) ? template.metadata : (template.metadata = {});
      metadata.labels = { ...(isObject(metadata.labels) ? metadata.labels : {}), ...pairs };
    }
  }
}

function applyImage(spec: JsonObject, objects: K8sObject[]): void {
  const name = asString(spec.name, 'images name');
  for (const obj of objects) {
    const template = podTemplate(obj);
    const pod = template && isObject(template.spec) ? template.spec : undefined;
    if (!pod) continue;
    for (const container of [...asArrayOr(pod.containers), ...asArrayOr(pod.initContainers)]) {
      if (!isObject(container) || typeof container.image !== 'string') continue;
      const ref = parseImage(container.image);
      if (ref.name !== name) continue;
      const newName = spec.newName === undefined ? ref.name : asString(spec.newName, 'images newName');
      if (spec.digest !== undefined) container.image = `${newName}@${asString(spec.digest, 'images digest')}`;
      else if (spec.newTag !== undefined) container.image = `${newName}:${asString(spec.newTag, 'images newTag')}`;
      else container.image = `${newName}${ref.suffix}`;
    }
  }
}

/** Splits `registry:5000/name:tag@digest` into the name and the `:tag`/`@digest` suffix. */
export function parseImage(image: string): { name: string; suffix: string } {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  const tagged = colon > withoutDigest.lastIndexOf('/');
  const name = tagged ? withoutDigest.slice(0, colon) : withoutDigest;
  return { name, suffix: image.slice(name.length) };
}

// ---- helpers ------------------------------------------------------------------------------------

export function podTemplate(obj: K8sObject): JsonObject | undefined {
  const path = POD_TEMPLATE_PATH[obj.kind];
  if (!path) return undefined;
  let node: Json | undefined = obj;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: Json | undefined, where: string): JsonObject {
  if (!isObject(value)) throw new KustomizeError(`${where}: expected a mapping`);
  return value;
}

function asArray(value: Json | undefined, where: string): Json[] {
  if (!Array.isArray(value)) throw new KustomizeError(`${where}: expected a list`);
  return value;
}

function asArrayOr(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function asString(value: Json | undefined, where: string): string {
  if (typeof value !== 'string') throw new KustomizeError(`${where}: expected a string`);
  return value;
}

function asStrings(value: Json | undefined, where: string): string[] {
  return asArray(value, where).map((item) => asString(item, where));
}
