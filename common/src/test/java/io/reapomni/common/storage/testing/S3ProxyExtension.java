package io.reapomni.common.storage.testing;

import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.testfixtures.TestS3;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3 endpoint for a test class ({@link TestS3}: S3Proxy in this JVM, or the endpoint that
 * {@code REAP_TEST_S3_ENDPOINT} names), with its settings as the project's stores take them. Each test class gets a
 * fresh bucket; {@link #newBucket()} makes more. Buckets are removed afterwards.
 *
 * <pre>{@code @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();}</pre>
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    private final List<String> buckets = new ArrayList<>();
    private TestS3 endpoint;
    private S3Settings settings;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        endpoint = TestS3.start(System.getenv());
        settings = new S3Settings(endpoint.endpoint(), S3Settings.DEFAULT_REGION, endpoint.accessKey(),
                endpoint.secretKey());
        newBucket();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (String bucket : buckets) {
                // Uploads that a test left unfinished (a killed writer, a retried start) keep a bucket from going.
                try (S3ObjectStore store = S3ObjectStore.open(settings, new StoreLocation.S3(bucket, ""))) {
                    store.abortUploadsStartedBefore(Instant.now().plusSeconds(60));
                }
                endpoint.removeBucket(bucket);
            }
        } finally {
            buckets.clear();
            endpoint.close();
        }
    }

    /** Endpoint and credentials of the running endpoint. */
    public S3Settings settings() {
        return settings;
    }

    /** The bucket created for this test class. */
    public String bucket() {
        return buckets.get(0);
    }

    /** Creates another empty bucket with a unique name (removed after the class) and returns its name. */
    public String newBucket() throws Exception {
        String bucket = endpoint.createUniqueBucket();
        buckets.add(bucket);
        return bucket;
    }
}
