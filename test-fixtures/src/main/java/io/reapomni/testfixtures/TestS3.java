package io.reapomni.testfixtures;

import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.reapomni.embedded.EmbeddedS3;
import io.reapomni.embedded.S3EndpointSettings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real S3 endpoint for tests, the one every module's tests use: the embedded stack's own S3 endpoint
 * ({@link EmbeddedS3}: S3Proxy in this JVM on 127.0.0.1, a free port) over a temporary folder, checking AWS v2/v4
 * signatures against a random identity and credential; or, when {@value #ENDPOINT_VARIABLE} (with
 * {@value #ACCESS_KEY_VARIABLE} and {@value #SECRET_KEY_VARIABLE}) is set and the caller accepts it, that endpoint (a
 * real MinIO in CI). Closing it stops the endpoint and deletes its folder; buckets on an external endpoint are the
 * caller's to remove ({@link #removeBucket}).
 */
public final class TestS3 implements AutoCloseable {
    public static final String ENDPOINT_VARIABLE = "REAP_TEST_S3_ENDPOINT";
    public static final String ACCESS_KEY_VARIABLE = "REAP_TEST_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "REAP_TEST_S3_SECRET_KEY";
    public static final String REGION = "us-east-1";

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final EmbeddedS3 embedded;
    private final Path folder;
    private final MinioClient admin;

    private TestS3(URI endpoint, String accessKey, String secretKey, EmbeddedS3 embedded, Path folder) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.embedded = embedded;
        this.folder = folder;
        this.admin = MinioClient.builder().endpoint(endpoint.toString()).region(REGION)
                .credentials(accessKey, secretKey).build();
    }

    /** The endpoint that {@code environment} names ({@value #ENDPOINT_VARIABLE}), else S3Proxy in this JVM. */
    public static TestS3 start(Map<String, String> environment) throws Exception {
        if (!environment.containsKey(ENDPOINT_VARIABLE)) {
            return startInProcess();
        }
        return new TestS3(URI.create(environment.get(ENDPOINT_VARIABLE)), required(environment, ACCESS_KEY_VARIABLE),
                required(environment, SECRET_KEY_VARIABLE), null, null);
    }

    /** The embedded S3 endpoint in this JVM, whatever the environment says. */
    public static TestS3 startInProcess() throws Exception {
        Path folder = Files.createTempDirectory("s3proxy-");
        EmbeddedS3 embedded;
        try {
            embedded = EmbeddedS3.start(S3EndpointSettings.anyPort(folder, Set.of()));
        } catch (IOException | RuntimeException e) {
            deleteRecursively(folder);
            throw e;
        }
        return new TestS3(embedded.endpoint(), embedded.accessKey(), embedded.secretKey(), embedded, folder);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Creates an empty bucket named {@code name}. */
    public void createBucket(String name) throws Exception {
        admin.makeBucket(MakeBucketArgs.builder().bucket(name).build());
    }

    /** Creates an empty bucket with a unique name and returns the name. */
    public String createUniqueBucket() throws Exception {
        String bucket = "reap-test-" + UUID.randomUUID().toString().substring(0, 13);
        createBucket(bucket);
        return bucket;
    }

    /** Removes a bucket and its objects; the caller aborts the multipart uploads it left unfinished first. */
    public void removeBucket(String name) throws Exception {
        for (Result<Item> result : admin.listObjects(ListObjectsArgs.builder().bucket(name).recursive(true).build())) {
            admin.removeObject(RemoveObjectArgs.builder().bucket(name).object(result.get().objectName()).build());
        }
        admin.removeBucket(RemoveBucketArgs.builder().bucket(name).build());
    }

    @Override
    public void close() throws Exception {
        admin.close();
        if (embedded != null) {
            try {
                embedded.close();
            } finally {
                deleteRecursively(folder);
            }
        }
    }

    private static String required(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + " is set, so " + variable + " must be set too");
        }
        return value;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
