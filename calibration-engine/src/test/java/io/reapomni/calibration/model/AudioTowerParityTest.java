package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.TinyFixture;
import io.reapomni.calibration.audio.AudioFeatures;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class AudioTowerParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(AudioTowerParityTest.class);


    @Test
    void towerOutputMatchesTransformersForTheFixtureFeatures() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        AudioFeatures features = fixture.audioFeatures();
        AudioTowerLoader loader = new AudioTowerLoader(fixture.stager, fixture.config, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray output = loader.load(manager).part().encode(manager, features);
            assertThat(output.getShape().getShape()).containsExactly(fixture.shape("audio.tower_out"));
            float error = TinyFixture.maxAbsDiff(output.toFloatArray(), fixture.floats("audio.tower_out"));
            LOG.debug(String.format(Locale.ROOT, "audio tower output: max abs error %.3g", error));
            assertThat(error).isLessThanOrEqualTo(1e-4f);
        }
    }

    @Test
    void aClipOfSeveralChunksGivesThirteenRowsPerFullChunkPlusTheRemainders() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        // 250 frames: chunks of 100, 100 and 50 (n_window 50): 13 + 13 + 7 rows (50 -> 25 -> 13 -> 7)
        float[] values = new float[128 * 250];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        AudioTowerLoader loader = new AudioTowerLoader(fixture.stager, fixture.config, ComputePrecision.FLOAT32);
        try (NDManager manager = TestDevice.newManager()) {
            NDArray output = loader.load(manager).part().encode(manager, new AudioFeatures(128, 250, values));
            assertThat(output.getShape().getShape()).containsExactly(33, 64);
        }
    }
}
