// Offline checks of k8s/: each overlay rendered by kustomize, every object validated against its schema (Kubernetes,
// Strimzi, KEDA, Prometheus Operator) with unknown fields refused, and the manifests checked against what the
// services read (lib/services.mjs) and what the Dockerfiles build.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from './lib/render.mjs';
import { schemaErrors, unknownFields } from './lib/schema.mjs';
import { declaredTopicConstants, documentedVariables, producedImages, serviceConfig } from './lib/services.mjs';

const SERVICES = ['strip-service', 'calibration-service', 'scoring-service', 'shard-writer-service'];

const OVERLAYS = ['test', 'production'];
const K8S = new URL('..', import.meta.url).pathname;

// Read by the container image or a library rather than by the service's own configuration; each is documented in
// k8s/README.md like the rest.
const IMAGE_VARIABLES = new Set([
  'JAVA_MAX_MEM_RATIO', // run-java.sh (and Dockerfile.cu128's entrypoint): heap share of the memory limit
  'DJL_CACHE_DIR', // DJL: where libtorch and the JNI are unpacked
]);

function containerEnv(objects, container) {
  const env = new Map();
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    assert.ok(map, `envFrom names ConfigMap ${name}, which the overlay does not contain`);
    for (const [k, v] of Object.entries(map.data ?? {})) env.set(k, { value: v, from: `ConfigMap ${name}` });
  }
  for (const e of container.env ?? []) env.set(e.name, { value: e.value, valueFrom: e.valueFrom, from: 'env' });
  return env;
}

const matches = (selector, labels) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);

for (const overlay of OVERLAYS) {
  describe(`overlay ${overlay}`, () => {
    const objects = render(`${K8S}/overlays/${overlay}`);
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const topics = objects.filter((o) => o.kind === 'KafkaTopic');
    const topicNames = new Set(topics.map((t) => t.spec.topicName ?? t.metadata.name));

    it('renders the four services', () => {
      assert.deepEqual(deployments.map((d) => d.metadata.name).sort(),
        ['calibration-service', 'scoring-service', 'shard-writer-service', 'strip-service']);
    });

    it('every object matches its schema', async () => {
      const problems = [];
      for (const o of objects) for (const e of await schemaErrors(o)) problems.push(`${o.kind} ${o.metadata.name} ${e}`);
      assert.deepEqual(problems, []);
    });

    it('no object has a field its schema does not define', async () => {
      const problems = [];
      for (const o of objects) for (const f of await unknownFields(o)) problems.push(`${o.kind} ${o.metadata.name} ${f}`);
      assert.deepEqual(problems, []);
    });

    it('commits no Secret, and each service has S3 credentials of its own, from its Secret reap-omni-s3-<service>', () => {
      assert.deepEqual(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name), []);
      for (const d of deployments) {
        const env = containerEnv(objects, d.spec.template.spec.containers[0]);
        for (const key of ['REAP_S3_ACCESS_KEY', 'REAP_S3_SECRET_KEY']) {
          assert.equal(env.get(key)?.valueFrom?.secretKeyRef?.name, `reap-omni-s3-${d.metadata.name}`, `${d.metadata.name}: ${key}`);
        }
        for (const [k, v] of env) assert.ok(!/SECRET|PASSWORD|TOKEN/.test(k) || v.valueFrom, `${d.metadata.name}: ${k} in plain text`);
      }
    });

    it('uses only images that a Dockerfile builds', () => {
      const images = producedImages();
      for (const d of deployments) {
        for (const c of d.spec.template.spec.containers) {
          assert.ok(images.has(c.image), `${d.metadata.name} runs ${c.image}; the builds produce ${[...images.keys()].join(', ')}`);
        }
      }
    });

    it('runs every container non-root, read-only, without capabilities, with probes and resources', () => {
      for (const d of deployments) {
        const pod = d.spec.template.spec;
        assert.equal(pod.securityContext?.runAsNonRoot, true, d.metadata.name);
        for (const c of pod.containers) {
          const where = `${d.metadata.name}/${c.name}`;
          assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where);
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where);
          assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], where);
          assert.equal(c.livenessProbe?.httpGet?.path, '/q/health/live', where);
          assert.equal(c.readinessProbe?.httpGet?.path, '/q/health/ready', where);
          for (const kind of ['requests', 'limits']) {
            assert.ok(c.resources?.[kind]?.cpu && c.resources?.[kind]?.memory, `${where}: ${kind}`);
          }
          assert.ok((c.volumeMounts ?? []).some((m) => m.mountPath === '/tmp'), `${where}: a writable /tmp`);
        }
      }
    });

    it('listens, probes, scrapes and serves on the port the service is configured with', () => {
      for (const d of deployments) {
        const c = d.spec.template.spec.containers[0];
        const env = containerEnv(objects, c);
        const port = Number(env.get('QUARKUS_HTTP_PORT')?.value ?? serviceConfig(d.metadata.name).port);
        const http = c.ports.find((p) => p.name === 'http');
        assert.equal(http?.containerPort, port, `${d.metadata.name}: containerPort`);
        assert.equal(d.spec.template.metadata.annotations?.['prometheus.io/port'], String(port), `${d.metadata.name}: scrape port`);
        const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === d.metadata.name);
        assert.ok(service && matches({ matchLabels: service.spec.selector }, d.spec.template.metadata.labels), `${d.metadata.name}: Service`);
        assert.ok(service.spec.ports.some((p) => p.targetPort === 'http' || p.targetPort === port), `${d.metadata.name}: Service port`);
      }
    });

    it('Kafka security, where the overlay sets it: each service signs in as its own KafkaUser, allowed exactly its topics and group', () => {
      const users = objects.filter((o) => o.kind === 'KafkaUser');
      for (const d of deployments) {
        const c = d.spec.template.spec.containers[0];
        const env = containerEnv(objects, c);
        const protocol = env.get('KAFKA_SECURITY_PROTOCOL')?.value ?? 'PLAINTEXT';
        if (protocol === 'PLAINTEXT') {
          assert.equal(users.length, 0, 'KafkaUsers without a secured listener in use');
          continue;
        }
        assert.equal(protocol, 'SASL_SSL', `${d.metadata.name}: SASL over TLS`);
        assert.equal(env.get('KAFKA_SASL_MECHANISM')?.value, 'SCRAM-SHA-512', d.metadata.name);
        const user = users.find((u) => u.metadata.name === `reap-omni-${d.metadata.name}`);
        assert.ok(user, `${d.metadata.name}: no KafkaUser reap-omni-${d.metadata.name}`);
        assert.equal(user.spec.authentication.type, 'scram-sha-512', user.metadata.name);
        assert.deepEqual(env.get('KAFKA_SASL_JAAS_CONFIG')?.valueFrom?.secretKeyRef,
          { name: user.metadata.name, key: 'sasl.jaas.config' }, `${d.metadata.name}: JAAS configuration of its own user`);
        assert.ok(env.get('KAFKA_SSL_TRUSTSTORE_PASSWORD')?.valueFrom?.secretKeyRef, `${d.metadata.name}: truststore password from a Secret`);
        const truststore = env.get('KAFKA_SSL_TRUSTSTORE_LOCATION')?.value;
        const mount = (c.volumeMounts ?? []).find((m) => truststore?.startsWith(m.mountPath + '/'));
        const volume = d.spec.template.spec.volumes.find((v) => v.name === mount?.name);
        assert.ok(volume?.secret?.items?.some((i) => truststore.endsWith('/' + i.path)), `${d.metadata.name}: truststore ${truststore} mounted from a Secret`);

        // What the service reads and writes, from its configuration and the manifests' values.
        const config = serviceConfig(d.metadata.name);
        const value = (entry) => (entry.variable && env.get(entry.variable)?.value) ?? entry.default;
        const expected = new Set();
        for (const [channel, topic] of config.topics) expected.add(`topic ${value(topic)} ${channel.startsWith('incoming') && !channel.endsWith('(dead letters)') ? 'Read' : 'Write'}`);
        for (const group of config.groups.values()) expected.add(`group ${value(group)} Read`);
        const granted = new Set(user.spec.authorization.acls.flatMap((acl) => acl.operations.map((op) => `${acl.resource.type} ${acl.resource.name} ${op}`)));
        assert.deepEqual([...granted].sort(), [...expected].sort(), `${user.metadata.name}: ACLs`);
        for (const acl of user.spec.authorization.acls) {
          assert.equal(acl.resource.patternType ?? 'literal', 'literal', `${user.metadata.name}: ${acl.resource.name} by exact name`);
          assert.ok(!acl.type || acl.type === 'allow', user.metadata.name);
        }
      }
    });

    for (const name of SERVICES) {
      it(`${name}: sets only keys the service reads, and every key it reads has a value or a documented default`, () => {
        const d = deployments.find((x) => x.metadata.name === name);
        const env = containerEnv(objects, d.spec.template.spec.containers[0]);
        const config = serviceConfig(name);
        const documented = documentedVariables();
        const unread = [...env.keys()].filter((k) => !config.keys.has(k) && !IMAGE_VARIABLES.has(k));
        assert.deepEqual(unread, [], `${name} does not read ${unread.join(', ')}`);
        const missing = [...config.keys.keys()].filter((k) => !env.has(k) && !documented.has(k));
        assert.deepEqual(missing, [], `${name} reads ${missing.join(', ')}: set it in the manifests or document its default in k8s/README.md`);
        const undocumented = [...env.keys()].filter((k) => !documented.has(k));
        assert.deepEqual(undocumented, [], `k8s/README.md does not document ${undocumented.join(', ')}`);
      });

      it(`${name}: every topic it uses is a KafkaTopic`, () => {
        const d = deployments.find((x) => x.metadata.name === name);
        const env = containerEnv(objects, d.spec.template.spec.containers[0]);
        const config = serviceConfig(name);
        assert.ok(config.topics.size > 0, `${name} uses no topic`);
        for (const [channel, t] of config.topics) {
          const topic = (t.variable && env.get(t.variable)?.value) ?? t.default;
          assert.ok(topicNames.has(topic), `${name} ${channel} uses topic ${topic}, not declared as a KafkaTopic`);
        }
      });
    }

    it('declares every topic of io.reapomni.common.events.Topics', () => {
      for (const { constant, name } of declaredTopicConstants()) assert.ok(topicNames.has(name), `Topics.${constant} = ${name}`);
      for (const t of topics) assert.ok(t.metadata.labels?.['strimzi.io/cluster'], `${t.metadata.name}: strimzi.io/cluster label`);
    });

    it('NetworkPolicies select the pods, deny by default, and let monitoring reach the metrics port', () => {
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      for (const p of policies) {
        assert.ok(deployments.some((d) => matches(p.spec.podSelector, d.spec.template.metadata.labels)), `${p.metadata.name} selects no pod`);
      }
      for (const d of deployments) {
        const labels = d.spec.template.metadata.labels;
        const applying = policies.filter((p) => matches(p.spec.podSelector, labels));
        assert.ok(applying.some((p) => !p.spec.ingress && !p.spec.egress && p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress')),
          `${d.metadata.name}: no default-deny policy`);
        assert.ok(applying.some((p) => (p.spec.ingress ?? []).some((r) => r.from?.some((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring')
          && r.ports?.some((x) => x.port === 'http'))), `${d.metadata.name}: metrics ingress`);
        for (const port of [53, 9092, 9000]) {
          assert.ok(applying.some((p) => (p.spec.egress ?? []).some((r) => r.ports?.some((x) => x.port === port))), `${d.metadata.name}: egress ${port}`);
        }
      }
    });

    it('a ScaledObject, where there is one, scales the calibration workers on the groups and topics of their tasks', () => {
      for (const so of objects.filter((o) => o.kind === 'ScaledObject')) {
        const target = deployments.find((d) => d.metadata.name === so.spec.scaleTargetRef.name);
        assert.ok(target, `${so.metadata.name}: no Deployment ${so.spec.scaleTargetRef.name}`);
        assert.equal(target.spec.replicas, undefined, 'KEDA owns replicas: the Deployment must not set them');
        const env = containerEnv(objects, target.spec.template.spec.containers[0]);
        // Calibration tasks and evaluation tasks each need a worker: without a trigger on either, a job waits on
        // workers scaled to zero.
        const inputs = [
          { group: env.get('REAP_GROUP_ID')?.value, topic: env.get('REAP_TOPIC_CALIBRATION_TASKS')?.value },
          { group: env.get('REAP_EVALUATION_GROUP_ID')?.value, topic: env.get('REAP_TOPIC_EVALUATION_TASKS')?.value },
        ];
        const triggers = so.spec.triggers.filter((t) => t.type === 'kafka');
        assert.deepEqual(triggers.map((t) => ({ group: t.metadata.consumerGroup, topic: t.metadata.topic })), inputs,
          'one trigger per task topic, on the group that consumes it');
        for (const trigger of triggers) {
          assert.equal(trigger.metadata.bootstrapServers, env.get('KAFKA_BOOTSTRAP_SERVERS')?.value, 'bootstrap servers');
          assert.ok(topics.some((t) => (t.spec.topicName ?? t.metadata.name) === trigger.metadata.topic),
            `no KafkaTopic ${trigger.metadata.topic}`);
          if ((env.get('KAFKA_SECURITY_PROTOCOL')?.value ?? 'PLAINTEXT') !== 'PLAINTEXT') {
            const auth = objects.find((o) => o.kind === 'TriggerAuthentication' && o.metadata.name === trigger.authenticationRef?.name);
            assert.ok(auth, `${so.metadata.name}: a secured cluster needs the trigger's authenticationRef`);
            const params = new Map([...(auth.spec.secretTargetRef ?? []), ...(auth.spec.configMapTargetRef ?? [])].map((r) => [r.parameter, r]));
            for (const p of ['sasl', 'tls', 'username', 'password', 'ca']) assert.ok(params.has(p), `${auth.metadata.name}: ${p}`);
            const settings = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === params.get('sasl').name);
            assert.equal(settings?.data?.sasl, 'scram_sha512', 'KEDA signs in with SCRAM-SHA-512');
            assert.equal(settings?.data?.tls, 'enable', 'KEDA connects over TLS');
            const user = objects.find((o) => o.kind === 'KafkaUser' && o.metadata.name === settings.data.username);
            assert.ok(user, `KEDA's KafkaUser ${settings.data.username}`);
            assert.equal(params.get('password').name, user.metadata.name, 'KEDA\'s password is its own user\'s');
            const granted = user.spec.authorization.acls.flatMap((acl) => acl.operations.map((op) => `${acl.resource.type} ${acl.resource.name} ${op}`)).sort();
            const lags = triggers.flatMap((t) => [`group ${t.metadata.consumerGroup} Describe`, `topic ${t.metadata.topic} Describe`]).sort();
            assert.deepEqual(granted, lags, 'KEDA may only look at the lag of the task topics');
          }
        }
        const calibration = topics.find((t) => (t.spec.topicName ?? t.metadata.name) === inputs[0].topic);
        assert.ok(calibration && so.spec.maxReplicaCount <= calibration.spec.partitions,
          'maxReplicaCount beyond the calibration task partitions');
      }
    });
  });
}
