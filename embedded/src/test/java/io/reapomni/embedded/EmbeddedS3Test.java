package io.reapomni.embedded;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedS3Test {

    private static final byte[] CONTENT = "{\"num_experts\": 128}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    @Test
    void anObjectPutWithTheRightCredentialsIsAFileUnderTheFolderAndReadsBack() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(S3EndpointSettings.anyPort(data, Set.of("models")));
             MinioClient client = client(s3, s3.secretKey())) {
            put(client, "models", "qwen3-omni/config.json");

            assertThat(data.resolve("models/qwen3-omni/config.json")).hasBinaryContent(CONTENT);
            try (InputStream object = client.getObject(
                    GetObjectArgs.builder().bucket("models").object("qwen3-omni/config.json").build())) {
                assertThat(object.readAllBytes()).isEqualTo(CONTENT);
            }
        }
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(S3EndpointSettings.anyPort(data, Set.of("models")));
             MinioClient client = client(s3, s3.secretKey() + "x")) {
            assertThatThrownBy(() -> put(client, "models", "intruder.json"))
                    .isInstanceOfSatisfying(ErrorResponseException.class,
                            e -> assertThat(e.response().code()).isEqualTo(403));

            assertThat(data.resolve("models/intruder.json")).doesNotExist();
        }
    }

    @Test
    void existingBucketsAndObjectsSurviveARestartOnTheSameFolder() throws Exception {
        S3EndpointSettings settings = S3EndpointSettings.anyPort(data, Set.of("models"));
        try (EmbeddedS3 s3 = EmbeddedS3.start(settings); MinioClient client = client(s3, s3.secretKey())) {
            put(client, "models", "kept.json");
        }

        try (EmbeddedS3 s3 = EmbeddedS3.start(settings); MinioClient client = client(s3, s3.secretKey())) {
            assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("models").build())).isTrue();
            try (InputStream object = client.getObject(
                    GetObjectArgs.builder().bucket("models").object("kept.json").build())) {
                assertThat(object.readAllBytes()).isEqualTo(CONTENT);
            }
        }
    }

    @Test
    void credentialsNeverShowTheSecret() {
        Credentials credentials = Credentials.random();

        assertThat(credentials.toString()).contains(credentials.identity()).doesNotContain(credentials.secret());
        assertThat(Credentials.random().secret()).isNotEqualTo(credentials.secret());
    }

    @Test
    void aBucketFolderCreatedBesideTheEndpointIsABucket() throws Exception {
        Files.createDirectories(data.resolve("outputs"));

        try (EmbeddedS3 s3 = EmbeddedS3.start(S3EndpointSettings.anyPort(data, Set.of()));
             MinioClient client = client(s3, s3.secretKey())) {
            assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("outputs").build())).isTrue();
        }
    }

    static MinioClient client(EmbeddedS3 s3, String secretKey) {
        return MinioClient.builder().endpoint(s3.endpoint().toString()).region("us-east-1")
                .credentials(s3.accessKey(), secretKey).build();
    }

    private static void put(MinioClient client, String bucket, String key) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(CONTENT), CONTENT.length, -1).build());
    }
}
