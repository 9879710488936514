package io.reapomni.cli.stack;

import io.reapomni.common.storage.BucketNames;
import io.reapomni.common.storage.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FolderBucketsTest {

    @Test
    void aFolderBecomesABucketLinkedToItAndUnmappingLeavesTheFolder(@TempDir Path temp) throws Exception {
        StackFolder stack = new StackFolder(temp.resolve("stack"));
        Path model = Files.createDirectories(temp.resolve("my model"));
        Files.writeString(model.resolve("config.json"), "{}");

        StoreLocation.S3 bucket = FolderBuckets.map(stack, "job-1", model, "model");

        assertThat(BucketNames.validate(bucket.bucket())).startsWith("model-");
        assertThat(bucket.prefix()).isEmpty();
        assertThat(stack.s3Data().resolve(bucket.bucket()).resolve("config.json")).hasContent("{}");

        FolderBuckets.unmap(stack, bucket);

        assertThat(stack.s3Data().resolve(bucket.bucket())).doesNotExist();
        assertThat(model.resolve("config.json")).hasContent("{}");
    }

    @Test
    void eachJobGetsItsOwnBucketForTheSameFolder(@TempDir Path temp) throws Exception {
        StackFolder stack = new StackFolder(temp.resolve("stack"));
        Path model = Files.createDirectories(temp.resolve("model"));

        StoreLocation.S3 first = FolderBuckets.map(stack, "job-1", model, "model");
        StoreLocation.S3 second = FolderBuckets.map(stack, "job-2", model, "model");
        FolderBuckets.unmap(stack, first);

        assertThat(second.bucket()).isNotEqualTo(first.bucket());
        assertThat(stack.s3Data().resolve(second.bucket())).isDirectory();
    }

    @Test
    void unmappingNeverRemovesARealBucketFolder(@TempDir Path temp) throws Exception {
        StackFolder stack = new StackFolder(temp.resolve("stack"));
        Path real = Files.createDirectories(stack.s3Data().resolve("model-0123456789abcdef0123"));

        FolderBuckets.unmap(stack, new StoreLocation.S3("model-0123456789abcdef0123", ""));

        assertThat(real).isDirectory();
    }
}
