package io.reapomni.cli.stack;

import io.reapomni.common.rewrite.RewriteListener;
import io.reapomni.common.storage.ObjectInfo;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.S3ObjectStore;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.Segment;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.embedded.EmbeddedS3;
import io.reapomni.embedded.S3EndpointSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the services do through a mapped folder, against the real S3 endpoint: S3Proxy's filesystem backend follows
 * the bucket's link for listings, ranged reads and multipart writes.
 */
class FolderBucketsS3Test {

    @Test
    void listsReadsRangesAndWritesMultipartObjectsThroughTheLink(@TempDir Path temp) throws Exception {
        StackFolder stack = new StackFolder(temp.resolve("stack"));
        Path model = Files.createDirectories(temp.resolve("model"));
        Files.write(model.resolve("weights.bin"), "0123456789".getBytes());
        Files.createDirectories(model.resolve("sub"));
        Files.writeString(model.resolve("sub/config.json"), "{}");
        Path output = Files.createDirectories(temp.resolve("output"));
        // Past the single-put limit, so that the write is a multipart upload.
        byte[] large = new byte[(int) S3ObjectStore.SINGLE_PUT_LIMIT + 1024];
        new Random(7).nextBytes(large);

        StoreLocation.S3 modelBucket = FolderBuckets.map(stack, "job", model, "model");
        StoreLocation.S3 outputBucket = FolderBuckets.map(stack, "job", output, "output");
        try (EmbeddedS3 s3 = EmbeddedS3.start(S3EndpointSettings.anyPort(stack.s3Data(), Set.of()))) {
            S3Settings settings = new S3Settings(s3.endpoint(), S3Settings.DEFAULT_REGION, s3.accessKey(),
                    s3.secretKey());
            try (ObjectStore source = S3ObjectStore.open(settings, modelBucket);
                 ObjectStore target = S3ObjectStore.open(settings, outputBucket)) {
                assertThat(source.list()).extracting(ObjectInfo::key)
                        .containsExactlyInAnyOrder("weights.bin", "sub/config.json");
                try (InputStream range = source.read("weights.bin", 3, 4)) {
                    assertThat(new String(range.readAllBytes())).isEqualTo("3456");
                }

                target.write("shard.bin", List.of(new Segment.Bytes(large)), RewriteListener.NONE);
            }
        }

        assertThat(output.resolve("shard.bin")).hasBinaryContent(large);
    }
}
