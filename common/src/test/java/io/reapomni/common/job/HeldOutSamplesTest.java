package io.reapomni.common.job;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule that decides which audio samples a job holds out of calibration to evaluate its written model on. */
class HeldOutSamplesTest {
    private static final EvaluationSettings EIGHT = new EvaluationSettings(8, 8);

    @Test
    void theLastSamplesOfALargeFileAreHeldOutAndCalibrationTakesItsLimitFromTheStart() {
        HeldOutSamples.Split split = HeldOutSamples.split(1000, 128, EIGHT);
        assertThat(split.heldOut()).contains(new SampleRange(992, 8));
        assertThat(split.calibrationSamples()).isEqualTo(128);
    }

    @Test
    void calibrationNeverReachesTheHeldOutSamples() {
        HeldOutSamples.Split split = HeldOutSamples.split(20, 128, EIGHT);
        assertThat(split.heldOut()).contains(new SampleRange(12, 8));
        assertThat(split.calibrationSamples()).isEqualTo(12);
    }

    @Test
    void atMostHalfOfASmallFileIsHeldOut() {
        assertThat(HeldOutSamples.split(5, 128, EIGHT)).isEqualTo(
                new HeldOutSamples.Split(3, Optional.of(new SampleRange(3, 2))));
        assertThat(HeldOutSamples.split(1, 128, EIGHT)).isEqualTo(new HeldOutSamples.Split(1, Optional.empty()));
    }

    @Test
    void evaluationOffHoldsNothingOut() {
        assertThat(HeldOutSamples.split(10, 4, EvaluationSettings.OFF))
                .isEqualTo(new HeldOutSamples.Split(4, Optional.empty()));
    }

    @Test
    void settingsBeyondTheLimitsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> new EvaluationSettings(65, 8)).hasMessageContaining("--evaluate-samples");
        assertThatThrownBy(() -> new EvaluationSettings(8, -1)).hasMessageContaining("--generate-tokens");
    }
}
