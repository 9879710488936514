package io.reapomni.common.storage.testing;

import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An S3 endpoint for a test class: S3Proxy in this JVM on 127.0.0.1 (a free port), backed by a temporary folder,
 * checking AWS v2/v4 signatures against a random identity and credential; or, when {@code REAP_TEST_S3_ENDPOINT}
 * (with {@code REAP_TEST_S3_ACCESS_KEY} and {@code REAP_TEST_S3_SECRET_KEY}) is set, that endpoint (a real MinIO in
 * CI). Each test class gets a fresh bucket; {@link #newBucket()} makes more. Buckets are removed afterwards.
 *
 * <pre>{@code @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();}</pre>
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String ENDPOINT_VARIABLE = "REAP_TEST_S3_ENDPOINT";
    public static final String ACCESS_KEY_VARIABLE = "REAP_TEST_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "REAP_TEST_S3_SECRET_KEY";

    private final Map<String, String> environment;
    private final List<String> buckets = new ArrayList<>();
    private S3Proxy proxy;
    private BlobStore blobStore;
    private Path folder;
    private S3Settings settings;
    private MinioClient admin;

    public S3ProxyExtension() {
        this(System.getenv());
    }

    S3ProxyExtension(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        settings = environment.containsKey(ENDPOINT_VARIABLE) ? externalSettings() : startProxy();
        admin = MinioClient.builder()
                .endpoint(settings.endpoint().toString())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .build();
        newBucket();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (String bucket : buckets) {
                removeBucket(bucket);
            }
        } finally {
            buckets.clear();
            admin.close();
            if (proxy != null) {
                proxy.stop();
                blobStore.close();
                deleteRecursively(folder);
            }
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
        String bucket = "reap-test-" + UUID.randomUUID().toString().substring(0, 13);
        admin.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        buckets.add(bucket);
        return bucket;
    }

    /** True when the tests run against the in-process S3Proxy, false against {@code REAP_TEST_S3_ENDPOINT}. */
    public boolean inProcess() {
        return proxy != null;
    }

    private S3Settings externalSettings() {
        return new S3Settings(URI.create(environment.get(ENDPOINT_VARIABLE)), S3Settings.DEFAULT_REGION,
                required(ACCESS_KEY_VARIABLE), required(SECRET_KEY_VARIABLE));
    }

    private String required(String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + " is set, so " + variable + " must be set too");
        }
        return value;
    }

    private S3Settings startProxy() throws Exception {
        folder = Files.createTempDirectory("s3proxy-");
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        blobStore = BlobStores.create("filesystem", properties);
        String identity = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String credential = UUID.randomUUID().toString();
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
        proxy.start();
        return new S3Settings(URI.create("http://127.0.0.1:" + proxy.getPort()), S3Settings.DEFAULT_REGION,
                identity, credential);
    }

    private void removeBucket(String bucket) throws Exception {
        // Uploads that a test left unfinished (a killed writer, a retried start) keep a bucket from being removed.
        try (S3ObjectStore store = S3ObjectStore.open(settings, new StoreLocation.S3(bucket, ""))) {
            store.abortUploadsStartedBefore(Instant.now().plusSeconds(60));
        }
        for (Result<Item> result : admin.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            admin.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(result.get().objectName()).build());
        }
        admin.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
