package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class AudioTowerParityTest {

    @Test
    void towerOutputMatchesTransformersForTheFixtureFeatures() throws IOException {
        TinyFixture fixture = TinyFixture.load();
        AudioFeatures features = fixture.audioFeatures();
        AudioTowerLoader loader = new AudioTowerLoader(fixture.weights, fixture.config, ComputePrecision.FLOAT32);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray output = loader.load(manager).encode(manager, features);
            assertThat(output.getShape().getShape()).containsExactly(fixture.shape("audio.tower_out"));
            float error = TinyFixture.maxAbsDiff(output.toFloatArray(), fixture.floats("audio.tower_out"));
            System.out.printf("audio tower output: max abs error %.3g%n", error);
            assertThat(error).isLessThanOrEqualTo(1e-4f);
        }
    }

    @Test
    void fixtureAudioGivesEighteenTokens() {
        assertThat(AudioLengths.tokens(137, 50)).isEqualTo(18);
    }

    @Test
    void lengthRuleCountsThirteenTokensPerFullChunkOfOneHundredFrames() {
        assertThat(AudioLengths.chunkLengths(137, 50)).containsExactly(100, 37);
        assertThat(AudioLengths.chunkLengths(200, 50)).containsExactly(100, 100);
        assertThat(AudioLengths.tokens(100, 50)).isEqualTo(13);
        assertThat(AudioLengths.tokens(200, 50)).isEqualTo(26);
        // 37 frames: 37 -> 19 -> 10 -> 5
        assertThat(AudioLengths.afterConvolutions(37)).isEqualTo(5);
        assertThat(AudioLengths.tokens(1, 50)).isEqualTo(1);
    }
}
