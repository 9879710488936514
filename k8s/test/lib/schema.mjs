// Validation of rendered objects against the schemas bundled in kubernetes-models (Kubernetes 1.x API) and its CRD
// packages (Strimzi, KEDA, Prometheus Operator): required fields, types, formats, enums. Those validators do not
// reject unknown fields, so unknownFields() probes each field: a field the schema knows fails validation when its
// value is replaced by one of the wrong type; an unknown one does not. Maps (labels, resource lists, KEDA trigger
// metadata) are recognised by probing with a made-up key, which their value schema rejects. The few objects whose
// schema takes any key with any value are listed in FREE_FORM: a compiled validator cannot tell them apart from an
// object whose keys are all misspelt, and the latter must fail.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

// apiVersion group -> the npm package that models it.
const PACKAGES = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  policy: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

const cache = new Map();

/** The ajv validate function for an apiVersion and kind, or an Error saying why there is none. */
export async function validatorFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (cache.has(key)) return cache.get(key);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PACKAGES[group];
  if (!pkg) throw new Error(`no schema package for API group "${group}" (${key}): add one to lib/schema.mjs`);
  const pkgDir = path.dirname(require.resolve(`${pkg}/package.json`));
  const modelFile = path.join(pkgDir, ...(group ? [group, version] : [version]), `${kind}.js`);
  let source;
  try {
    source = readFileSync(modelFile, 'utf8');
  } catch {
    throw new Error(`${key} is not a kind that ${pkg} knows`);
  }
  const schema = /_schemas\/([A-Za-z0-9]+)\.js/.exec(source);
  if (!schema) throw new Error(`cannot find the schema of ${key} in ${modelFile}`);
  const { validate } = await import(path.join(pkgDir, '_schemas', `${schema[1]}.js`));
  cache.set(key, validate);
  return validate;
}

function run(validate, object) {
  validate(object);
  return validate.errors ? [...validate.errors] : [];
}

/** Schema errors of an object, as "path: message" lines. */
export async function schemaErrors(object) {
  const validate = await validatorFor(object.apiVersion, object.kind);
  return run(validate, object).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
}

const FREE_FORM = {
  // Strimzi passes topic config through to Kafka (x-kubernetes-preserve-unknown-fields).
  'kafka.strimzi.io/v1beta2/KafkaTopic': ['/spec/config'],
};

const PROBE_KEY = 'zz-reap-probe-unknown';
const WRONG_FOR_SCALAR = [[1.5]]; // no string, number, boolean or object schema accepts it
const WRONG_FOR_CONTAINER = 1.5; // no object or array schema accepts it

function at(root, pointer) {
  return pointer.reduce((node, key) => node[key], root);
}

/** JSON pointers of fields the schema does not define, in an object that is otherwise valid. */
export async function unknownFields(object) {
  const validate = await validatorFor(object.apiVersion, object.kind);
  if (run(validate, object).length) return []; // schemaErrors reports those first
  const unknown = [];
  const freeForm = FREE_FORM[`${object.apiVersion}/${object.kind}`] ?? [];
  const rejects = (pointer, key, value) => {
    const probe = structuredClone(object);
    at(probe, pointer)[key] = value;
    return run(validate, probe).length > 0;
  };
  const visit = (pointer) => {
    const node = at(object, pointer);
    if (Array.isArray(node)) {
      node.forEach((item, i) => { if (item && typeof item === 'object') visit([...pointer, i]); });
      return;
    }
    if (freeForm.includes('/' + pointer.join('/'))) return;
    // A map: every key is allowed and its value has a schema of its own.
    const map = rejects(pointer, PROBE_KEY, WRONG_FOR_SCALAR);
    for (const [key, value] of Object.entries(node)) {
      const container = value !== null && typeof value === 'object';
      if (map) {
        if (container) visit([...pointer, key]);
      } else if (!rejects(pointer, key, container ? WRONG_FOR_CONTAINER : WRONG_FOR_SCALAR)) {
        unknown.push('/' + [...pointer, key].join('/'));
      } else if (container) {
        visit([...pointer, key]);
      }
    }
  };
  visit([]);
  return unknown;
}
