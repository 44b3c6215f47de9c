import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import type { Json, JsonObject, K8sObject } from './kustomize';
import { isObject } from './kustomize';

/**
 * Validates rendered objects the way `kubectl apply --validate=strict` does before anything is
 * stored: against the Kubernetes OpenAPI schemas (kubernetes-models' validators) for built-in
 * kinds, against the CRDs' openAPIV3Schema (ajv) for Strimzi and CloudNativePG kinds, and with
 * unknown fields reported as errors (the API server would drop them silently otherwise, and a
 * misspelt `readinessProbe` would ship no probe).
 */

/** The model's validate function, called with `this` = the data to check. */
type ModelValidate = (this: unknown) => void;

const BUILT_IN: Record<string, ModelValidate> = {
  'apps/v1/Deployment': Deployment.prototype.validate,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler.prototype.validate,
  'batch/v1/Job': Job.prototype.validate,
  'networking.k8s.io/v1/Ingress': Ingress.prototype.validate,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy.prototype.validate,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget.prototype.validate,
  'v1/ConfigMap': ConfigMap.prototype.validate,
  'v1/Namespace': Namespace.prototype.validate,
  'v1/Secret': Secret.prototype.validate,
  'v1/Service': Service.prototype.validate,
};

const SCHEMA_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'schemas');

/** Vendored CRD schemas (see the $comment of each file for its source). */
const CUSTOM: Record<string, { file: string; strictify: boolean }> = {
  'kafka.strimzi.io/v1beta2/Kafka': { file: 'strimzi/Kafka.v1beta2.json', strictify: true },
  'kafka.strimzi.io/v1beta2/KafkaNodePool': { file: 'strimzi/KafkaNodePool.v1beta2.json', strictify: true },
  'kafka.strimzi.io/v1beta2/KafkaTopic': { file: 'strimzi/KafkaTopic.v1beta2.json', strictify: true },
  // Hand-written subsets that already reject any other field.
  'postgresql.cnpg.io/v1/Cluster': { file: 'cloudnative-pg/Cluster.v1.json', strictify: false },
  'postgresql.cnpg.io/v1/ScheduledBackup': { file: 'cloudnative-pg/ScheduledBackup.v1.json', strictify: false },
};

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

function customValidator(type: string): ValidateFunction | undefined {
  const entry = CUSTOM[type];
  if (!entry) return undefined;
  let validate = compiled.get(type);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, entry.file), 'utf8')) as JsonObject;
    validate = ajv.compile((entry.strictify ? rejectUnknownFields(schema) : schema) as JsonObject);
    compiled.set(type, validate);
  }
  return validate;
}

/**
 * What the API server's strict field validation does for a structural CRD schema: an object
 * schema with `properties` accepts no other field unless it preserves unknown fields. Branches of
 * oneOf/anyOf only constrain which listed fields appear together, so they are left as they are.
 */
export function rejectUnknownFields(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const result: JsonObject = { ...schema };
  if (isObject(result.properties)) {
    result.properties = Object.fromEntries(
      Object.entries(result.properties).map(([key, value]) => [key, rejectUnknownFields(value)]),
    );
    if (result.additionalProperties === undefined && result['x-kubernetes-preserve-unknown-fields'] !== true) {
      result.additionalProperties = false;
    }
  }
  if (isObject(result.additionalProperties))
    result.additionalProperties = rejectUnknownFields(result.additionalProperties);
  if (isObject(result.items)) result.items = rejectUnknownFields(result.items);
  return result;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Every problem with one object, as readable lines; empty when it would be accepted. */
export function validateObject(obj: K8sObject): string[] {
  const type = `${obj.apiVersion}/${obj.kind}`;
  const where = `${obj.kind}/${obj.metadata.name}`;
  const problems = metadataProblems(obj).map((p) => `${where}: ${p}`);
  const builtIn = BUILT_IN[type];
  if (builtIn) {
    const tracked = trackReads(obj);
    try {
      builtIn.call(tracked.proxy);
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    problems.push(...tracked.unread().map((path) => `${where}: unknown field ${path}`));
    return problems;
  }
  const custom = customValidator(type);
  if (!custom) return [...problems, `${where}: no schema for ${type}`];
  // The CRD schemas leave metadata open: check it against ObjectMeta, as for a built-in kind.
  const meta = trackReads({ apiVersion: 'v1', kind: 'ConfigMap', metadata: obj.metadata });
  try {
    BUILT_IN['v1/ConfigMap'].call(meta.proxy);
  } catch (error) {
    problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  problems.push(...meta.unread().map((path) => `${where}: unknown field ${path}`));
  if (!custom(obj)) {
    for (const error of custom.errors ?? []) {
      const extra = error.keyword === 'additionalProperties' ? ` (${JSON.stringify(error.params)})` : '';
      problems.push(`${where}: ${error.instancePath || '/'} ${error.message ?? error.keyword}${extra}`);
    }
  }
  return problems;
}

function metadataProblems(obj: K8sObject): string[] {
  const problems: string[] = [];
  const { name } = obj.metadata;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) problems.push(`name "${name}" is not a DNS subdomain`);
  // Services (and so Deployments' Service-facing names) must be DNS labels.
  if (obj.kind === 'Service' && (name.length > 63 || !DNS_LABEL.test(name))) {
    problems.push(`Service name "${name}" is not a DNS-1035 label`);
  }
  for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      problems.push(`label ${key} has an invalid value ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/**
 * Wraps `root` so the validator's property reads are recorded. kubernetes-models' validators are
 * compiled ajv code that reads each property its schema declares (and enumerates maps); a field
 * in the data that the validator never read is one the schema does not know.
 */
export function trackReads(root: JsonObject): { proxy: JsonObject; unread: () => string[] } {
  const reads = new Map<object, Set<string>>();
  const enumerated = new Set<object>();
  const proxies = new Map<object, object>();
  const wrap = (value: Json): Json => {
    if (typeof value !== 'object' || value === null) return value;
    const existing = proxies.get(value);
    if (existing) return existing as Json;
    reads.set(value, new Set());
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') reads.get(target)?.add(key);
        return wrap(Reflect.get(target, key, receiver) as Json);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const unread = (): string[] => {
    const found: string[] = [];
    const walk = (node: Json, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`));
      if (!isObject(node) || !reads.has(node)) return;
      const read = reads.get(node) as Set<string>;
      // A map the validator enumerated, or a free-form object it never looked into.
      const checked = !enumerated.has(node) && read.size > 0;
      for (const [key, value] of Object.entries(node)) {
        if (checked && !read.has(key)) found.push(`${path}.${key}`);
        else walk(value, `${path}.${key}`);
      }
    };
    walk(root, '');
    return found;
  };
  return { proxy: wrap(root) as JsonObject, unread };
}
