// How lib/config-mappings.mjs reads @ConfigMapping interfaces: the keys SmallRye Config derives, or an error where
// the reader would otherwise miss some.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMappingKeys } from './lib/config-mappings.mjs';

const keys = (source) => configMappingKeys(source, 'Example.java').map((k) => (k.default === undefined ? k.key : `${k.key}=${k.default}`));

describe('configMappingKeys', () => {
  it('names methods in kebab-case under the prefix, nested interfaces as segments, through Optional', () => {
    assert.deepEqual(keys(`
      @ConfigMapping(prefix = "reap")
      public interface Example {
          /** A comment with { braces } and "quotes"; */
          Optional<Sweep> sweep(); // the group may be absent
          int maxTaskSamples();
          Optional<List<String>> locations();
          S3Endpoint s3();
          interface Sweep {
              Duration maxAge();
          }
          interface S3Endpoint {
              Retry retry();
              interface Retry { Optional<String> baseDelayMs(); }
          }
      }`), ['reap.sweep.max-age', 'reap.max-task-samples', 'reap.locations', 'reap.s3.retry.base-delay-ms']);
  });

  it('honours @WithName, @WithParentName and @WithDefault, and skips constants and methods with bodies', () => {
    assert.deepEqual(keys(`
      @ConfigMapping(prefix = "reap.shard-writer")
      interface Example {
          String NOTE = "not a key();";
          @WithName("progress-every") @WithDefault("PT2S") Duration progressInterval();
          @WithParentName Sweep sweep();
          default Duration twice() { return progressInterval().multipliedBy(2); }
          interface Sweep { @WithDefault("a,b") List<String> locations(); }
      }`), ['reap.shard-writer.progress-every=PT2S', 'reap.shard-writer.locations=a,b']);
  });

  it('refuses what it cannot follow rather than miss keys', () => {
    assert.throws(() => keys('@ConfigMapping(prefix = "reap") interface A extends B { int x(); }'), /extends/);
    assert.throws(() => keys('@ConfigMapping(prefix = "reap") interface A { List<G> gs(); interface G { int x(); } }'), /groups in a List/);
    assert.throws(() => keys('@ConfigMapping(prefix = "reap") interface A { int x(String y); }'), /parameters/);
  });

  it('finds nothing in a source without mappings', () => {
    assert.deepEqual(keys('class A { @ConfigProperty(name = "reap.x") String x; }'), []);
  });
});
