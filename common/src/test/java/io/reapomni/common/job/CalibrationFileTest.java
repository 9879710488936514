package io.reapomni.common.job;

import io.reapomni.common.storage.StoreLocation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CalibrationFileTest {

    @Test
    void anS3FileIsItsPrefixFolderAndItsName() {
        CalibrationFile file = CalibrationFile.parse("s3://data/calib/speech/audio.jsonl");

        assertThat(file.folder()).isEqualTo(new StoreLocation.S3("data", "calib/speech"));
        assertThat(file.name()).isEqualTo("audio.jsonl");
        assertThat(file).hasToString("s3://data/calib/speech/audio.jsonl");
    }

    @Test
    void anS3FileAtTheBucketsRootLivesInTheBucket() {
        CalibrationFile file = CalibrationFile.parse("s3://data/audio.jsonl");

        assertThat(file.folder()).isEqualTo(new StoreLocation.S3("data", ""));
        assertThat(file.name()).isEqualTo("audio.jsonl");
    }

    @Test
    void aLocalFileIsItsFolderAndItsName() {
        CalibrationFile file = CalibrationFile.parse("calib/../calib/mixed.jsonl");

        assertThat(file.folder()).isEqualTo(new StoreLocation.Local(Path.of("calib").toAbsolutePath()));
        assertThat(file.name()).isEqualTo("mixed.jsonl");
    }

    @Test
    void aBucketAloneNamesNoFile() {
        assertThatThrownBy(() -> CalibrationFile.parse("s3://data"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names a bucket, not a file");
    }
}
