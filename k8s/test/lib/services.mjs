// What each service reads, from the repository's own files: its application.properties, service-support's
// META-INF/microprofile-config.properties when it depends on service-support, and the Java sources (main) of the
// module and of the reactor modules it depends on. Quarkus maps a property to an environment variable by upper-casing
// it and turning every other character into "_" (reap.s3.endpoint -> REAP_S3_ENDPOINT), so keys are compared in that form.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configMappingKeys } from './config-mappings.mjs';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');

export const envName = (property) => property.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();

function javaFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.java'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function properties(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => {
      const i = line.indexOf('=');
      return { key: line.slice(0, i).trim(), value: line.slice(i + 1).trim() };
    });
}

/** The reactor modules a module's pom depends on, those of its tests (test scope) aside: they are not in its image. */
function reactorDependencies(module) {
  const modules = readdirSync(REPO).filter((m) => existsSync(path.join(REPO, m, 'pom.xml')));
  const pom = readFileSync(path.join(REPO, module, 'pom.xml'), 'utf8');
  const deps = new Set();
  for (const [block, artifact] of pom.matchAll(/<dependency>\s*<groupId>io\.reapomni<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>[\s\S]*?<\/dependency>/g)) {
    if (block.includes('<scope>test</scope>')) continue;
    if (modules.includes(artifact) && !deps.has(artifact)) {
      deps.add(artifact);
      reactorDependencies(artifact).forEach((d) => deps.add(d));
    }
  }
  return [...deps];
}

/** The Maven project version: the images are tagged with it. */
export function projectVersion() {
  const pom = readFileSync(path.join(REPO, 'pom.xml'), 'utf8');
  return /<artifactId>reap-omni-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom)[1];
}

/** Images the repository's Dockerfiles build: reap-omni/<module>:<version>[-<flavour of Dockerfile.<flavour>>]. */
export function producedImages() {
  const version = projectVersion();
  const images = new Map();
  for (const module of readdirSync(REPO)) {
    const dir = path.join(REPO, module, 'src', 'main', 'docker');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.startsWith('Dockerfile.'))) {
      const flavour = file.slice('Dockerfile.'.length);
      const tag = flavour === 'jvm' ? version : `${version}-${flavour}`;
      images.set(`reap-omni/${module}:${tag}`, path.join(module, 'src', 'main', 'docker', file));
    }
  }
  return images;
}

/**
 * What a service module reads:
 * - keys: env-form names of every configuration key it reads (properties it defines, ${...} references, the keys of
 *   @ConfigMapping interfaces, @ConfigProperty names, System.getenv and *_VARIABLE constants), each with its default
 *   if it has one;
 * - topics: channel -> { property, variable, defaultTopic } of every incoming/outgoing/dead-letter topic;
 * - groups: channel -> { variable, defaultGroup };
 * - port: quarkus.http.port if it sets one.
 */
export function serviceConfig(module) {
  const deps = reactorDependencies(module);
  const files = [path.join(REPO, module, 'src/main/resources/application.properties')];
  if (deps.includes('service-support')) {
    files.unshift(path.join(REPO, 'service-support/src/main/resources/META-INF/microprofile-config.properties'));
  }
  const keys = new Map(); // ENV_NAME -> { default, source }
  const read = (name, dflt, source) => {
    const existing = keys.get(name);
    if (!existing || (existing.default === undefined && dflt !== undefined)) keys.set(name, { default: dflt, source });
  };
  const merged = new Map();
  for (const file of files) {
    for (const { key, value } of properties(file)) {
      if (key.startsWith('%')) continue; // profile-only (%test, %dev)
      merged.set(key, value);
      for (const [, ref, dflt] of value.matchAll(/\$\{([^:}]+)(?::([^}]*))?\}/g)) read(envName(ref), dflt, path.relative(REPO, file));
    }
  }
  for (const [key, value] of merged) {
    // The application's own settings (reap.*) and the port are meant to be set; framework internals are not listed.
    if (key.startsWith('reap.') || key === 'quarkus.http.port') read(envName(key), value.replace(/\$\{[^:}]+:?([^}]*)\}/g, '$1'), 'properties');
  }
  for (const dir of [module, ...deps]) {
    for (const file of javaFiles(path.join(REPO, dir, 'src/main/java'))) {
      const source = readFileSync(file, 'utf8');
      const where = path.relative(REPO, file);
      for (const { key, default: dflt } of configMappingKeys(source, where)) read(envName(key), dflt, where);
      for (const [, name] of source.matchAll(/@ConfigProperty\(\s*name\s*=\s*"([^"]+)"(?:\s*,\s*defaultValue\s*=\s*"([^"]*)")?/g)) read(envName(name), undefined, where);
      for (const [, name] of source.matchAll(/System\.getenv\(\s*"([^"]+)"\s*\)/g)) read(name, undefined, where);
      for (const [, name] of source.matchAll(/_VARIABLE\s*=\s*"([A-Z][A-Z0-9_]*)"/g)) read(name, undefined, where);
    }
  }
  for (const [key, value] of merged) {
    const entry = keys.get(envName(key));
    if (entry && entry.default === undefined) entry.default = value;
  }
  // Quarkus' built-in defaults for what it reads whether or not the application sets it.
  if (!keys.has('QUARKUS_HTTP_PORT')) read('QUARKUS_HTTP_PORT', '8080', 'Quarkus default');
  if (deps.includes('service-support')) {
    for (const variable of KAFKA_CLIENT_VARIABLES) read(variable, undefined, 'Quarkus Kafka client configuration');
  }

  const topics = new Map();
  const groups = new Map();
  for (const [key, value] of merged) {
    const m = /^mp\.messaging\.(incoming|outgoing)\.([^.]+)\.(topic|dead-letter-queue\.topic|group\.id)$/.exec(key);
    if (!m) continue;
    const ref = /^\$\{([^:}]+)(?::([^}]*))?\}$/.exec(value);
    const entry = ref ? { variable: envName(ref[1]), default: ref[2] } : { variable: undefined, default: value };
    if (m[3] === 'group.id') groups.set(m[2], entry);
    else topics.set(`${m[1]} ${m[2]}${m[3] === 'topic' ? '' : ' (dead letters)'}`, entry);
  }
  const port = merged.get('quarkus.http.port');
  return { module, deps, keys, topics, groups, port: port ? Number(port) : 8080 };
}

/**
 * Kafka client properties that a service takes from its environment: Quarkus' Kafka extension turns every variable
 * KAFKA_X_Y into the client property x.y of all its channels (how KAFKA_BOOTSTRAP_SERVERS works too). These are the
 * security settings (SASL, TLS) a deployment gives, each documented in k8s/README.md.
 */
export const KAFKA_CLIENT_VARIABLES = [
  'KAFKA_SECURITY_PROTOCOL', 'KAFKA_SASL_MECHANISM', 'KAFKA_SASL_JAAS_CONFIG',
  'KAFKA_SSL_TRUSTSTORE_LOCATION', 'KAFKA_SSL_TRUSTSTORE_PASSWORD', 'KAFKA_SSL_TRUSTSTORE_TYPE',
  'KAFKA_SSL_TRUSTSTORE_CERTIFICATES', 'KAFKA_SSL_KEYSTORE_LOCATION', 'KAFKA_SSL_KEYSTORE_PASSWORD',
  'KAFKA_SSL_KEYSTORE_TYPE', 'KAFKA_SSL_KEY_PASSWORD', 'KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM',
];

/** The topic names io.reapomni.common.events.Topics declares. */
export function declaredTopicConstants() {
  const source = readFileSync(path.join(REPO, 'common/src/main/java/io/reapomni/common/events/Topics.java'), 'utf8');
  return [...source.matchAll(/static final String (\w+) = "([^"]+)"/g)].map(([, constant, name]) => ({ constant, name }));
}

/** Environment variables k8s/README.md documents in its configuration reference: | `NAME` | default | meaning |. */
export function documentedVariables() {
  const readme = readFileSync(path.join(REPO, 'k8s', 'README.md'), 'utf8');
  const documented = new Map();
  for (const [, name, dflt] of readme.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|\s*([^|]*)\|/gm)) documented.set(name, dflt.trim());
  return documented;
}
