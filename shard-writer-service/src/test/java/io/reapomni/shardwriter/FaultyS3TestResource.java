package io.reapomni.shardwriter;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.common.storage.testing.FaultInjectingProxy;
import io.reapomni.devtools.synthetic.SyntheticCheckpoint;
import io.reapomni.devtools.synthetic.SyntheticModelSpec;
import io.reapomni.service.testing.S3TestResource;
import io.reapomni.service.testing.TemporaryFolders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The real S3 endpoint of {@link S3TestResource}, seen by the service only through a {@link FaultInjectingProxy},
 * with a model whose shards are larger than one PUT (so that the service writes them as multipart uploads of
 * server-side copies) and quick retries. It also gives the service a folder to sweep, holding a stale staging folder
 * of a job that never came back and a recent one. A test gets both through a {@link Handles} field.
 */
public final class FaultyS3TestResource implements QuarkusTestResourceLifecycleManager {
    /** About 50 MB in shards of up to 48 MiB: what the plan keeps of one is more than one PUT takes. */
    public static final SyntheticModelSpec MODEL_SIZES = new SyntheticModelSpec(512, 4, 16, 4, 256, 4, 2, 64, 2048, 1,
            32, 1, 32, 1, 4, 32, 48L << 20);
    public static final String MODEL = "s3://" + S3TestResource.BUCKET + "/synthetic";

    /** What the test works with. */
    public record Handles(FaultInjectingProxy proxy, Path localModel, Path staleStaging, Path recentStaging) {
    }

    private final S3TestResource s3 = new S3TestResource();
    private Path folder;
    private FaultInjectingProxy proxy;
    private Handles handles;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(s3.start());
        try {
            folder = Files.createTempDirectory("faulty-s3-");
            S3Settings direct = new S3Settings(URI.create(config.get("reap.s3.endpoint")), S3Settings.DEFAULT_REGION,
                    config.get("reap.s3.access-key"), config.get("reap.s3.secret-key"));
            Path model = folder.resolve("model");
            SyntheticCheckpoint.write(model, MODEL_SIZES);
            try (ObjectStore target = ObjectStores.open(StoreLocation.parse(MODEL), () -> direct)) {
                TestModels.upload(model, target);
            }
            proxy = FaultInjectingProxy.start(direct.endpoint());
            Path outputs = Files.createDirectories(folder.resolve("outputs"));
            handles = new Handles(proxy, model, staging(outputs, "gone-job", Duration.ofDays(8)),
                    staging(outputs, "recent-job", Duration.ofHours(1)));
            config.put("reap.shard-writer.sweep.locations", outputs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("the faulty S3 endpoint did not start", e);
        }
        config.put("reap.s3.endpoint", proxy.endpoint().toString());
        config.put("reap.s3.retry.attempts", "8");
        config.put("reap.s3.retry.base-delay-ms", "5");
        config.put("reap.s3.retry.max-delay-ms", "50");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(handles, new TestInjector.MatchesType(Handles.class));
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            s3.stop();
            TemporaryFolders.delete(folder);
        }
    }

    /** A staging folder of {@code job} beside an output, untouched for {@code age}. */
    private static Path staging(Path outputs, String job, Duration age) throws IOException {
        Path staging = Files.createDirectories(outputs.resolve(".pruned.reap-staging-" + job));
        Path file = Files.writeString(staging.resolve("model-00001-of-00002.safetensors"), "finished before the end");
        FileTime then = FileTime.from(Instant.now().minus(age));
        Files.setLastModifiedTime(file, then);
        Files.setLastModifiedTime(staging, then);
        return staging;
    }
}
