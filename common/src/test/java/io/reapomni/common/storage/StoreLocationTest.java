package io.reapomni.common.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreLocationTest {

    @Test
    void parsesBucketAndPrefixWithoutOuterSlashes() {
        assertThat(StoreLocation.parse("s3://models/qwen/pruned/")).isEqualTo(new StoreLocation.S3("models", "qwen/pruned"));
        assertThat(StoreLocation.parse("s3://models")).isEqualTo(new StoreLocation.S3("models", ""));
        assertThat(StoreLocation.parse("s3://models/")).isEqualTo(new StoreLocation.S3("models", ""));
        assertThat(StoreLocation.parse("s3://models/a").toString()).isEqualTo("s3://models/a");
    }

    @Test
    void refusesLocationsWithoutBucket() {
        assertThatThrownBy(() -> StoreLocation.parse("s3://")).hasMessageContaining("names no bucket");
        assertThatThrownBy(() -> StoreLocation.parse("s3:///x")).hasMessageContaining("names no bucket");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://Models/x", "s3://ab", "s3://my_bucket", "s3://-bucket", "s3://a..b", "s3://192.168.1.1"})
    void refusesInvalidBucketNames(String text) {
        assertThatThrownBy(() -> StoreLocation.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid S3 bucket name");
    }

    @Test
    void refusesPrefixesThatAreNotValidKeys() {
        assertThatThrownBy(() -> StoreLocation.parse("s3://models/a/../b")).hasMessageContaining("'..' segments");
        assertThatThrownBy(() -> StoreLocation.parse("s3://models/a//b")).hasMessageContaining("empty segments");
    }

    @Test
    void aFolderReachedThroughASymbolicLinkOverlapsWhereTheLinkLeads(@TempDir Path temp) throws Exception {
        Path model = Files.createDirectories(temp.resolve("model"));
        Path elsewhere = Files.createSymbolicLink(temp.resolve("elsewhere"), model);
        Files.createDirectories(temp.resolve("outputs"));

        assertThat(new StoreLocation.Local(elsewhere.resolve("pruned")).overlaps(new StoreLocation.Local(model))).isTrue();
        assertThat(new StoreLocation.Local(model).overlaps(new StoreLocation.Local(elsewhere.resolve("a/b")))).isTrue();
        assertThat(new StoreLocation.Local(temp.resolve("outputs/pruned")).overlaps(new StoreLocation.Local(model)))
                .isFalse();
        assertThat(new StoreLocation.Local(elsewhere.resolve("new/pruned")).realFolder())
                .isEqualTo(model.toRealPath().resolve("new/pruned"));
    }

    @Test
    void makesLocalPathsAbsoluteAndNormal() {
        StoreLocation parsed = StoreLocation.parse("some/dir/../out");
        assertThat(parsed).isEqualTo(new StoreLocation.Local(Path.of("some/out").toAbsolutePath()));
        assertThat(((StoreLocation.Local) parsed).folder().isAbsolute()).isTrue();
    }

    @Test
    void refusesOtherSchemesAndEmptyText() {
        assertThatThrownBy(() -> StoreLocation.parse("gs://bucket/x")).hasMessageContaining("unsupported store location");
        assertThatThrownBy(() -> StoreLocation.parse(" ")).hasMessageContaining("must not be empty");
    }
}
