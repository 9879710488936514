package io.reapomni.service.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reapomni.common.rewrite.TestModels;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TestS3;
import io.reapomni.testfixtures.TinyQwen3Omni;

import java.util.Map;

/**
 * A real S3 endpoint ({@link TestS3#startInProcess()}: S3Proxy over a temporary folder, in this JVM, on loopback,
 * checking signatures against random credentials) for a {@code @QuarkusTest}, holding the tiny Qwen3-Omni fixture at
 * {@link #FIXTURE_MODEL}. The application gets the endpoint and credentials as {@code reap.s3.*} configuration, as a
 * deployed service gets them from {@code REAP_S3_*} variables.
 *
 * <pre>{@code @WithTestResource(S3TestResource.class)}</pre>
 */
public final class S3TestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "models";
    /** The fixture checkpoint ({@link TinyQwen3Omni#model()}), uploaded before the application starts. */
    public static final String FIXTURE_MODEL = "s3://" + BUCKET + "/tiny-qwen3-omni";

    private TestS3 s3;

    @Override
    public Map<String, String> start() {
        try {
            s3 = TestS3.startInProcess();
            s3.createBucket(BUCKET);
            S3Settings settings = new S3Settings(s3.endpoint(), S3Settings.DEFAULT_REGION, s3.accessKey(),
                    s3.secretKey());
            try (ObjectStore fixture = ObjectStores.open(StoreLocation.parse(FIXTURE_MODEL), () -> settings)) {
                TestModels.upload(TinyQwen3Omni.model(), fixture);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the test S3 endpoint did not start with the fixture", e);
        }
        return Map.of(
                "reap.s3.endpoint", s3.endpoint().toString(),
                "reap.s3.region", S3Settings.DEFAULT_REGION,
                "reap.s3.access-key", s3.accessKey(),
                "reap.s3.secret-key", s3.secretKey());
    }

    @Override
    public void stop() {
        try {
            s3.close();
        } catch (Exception e) {
            throw new IllegalStateException("the test S3 endpoint did not stop", e);
        }
    }
}
