package io.reapomni.scoring.score;

import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.calibration.ExpertLayerStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Saliency, affinity and the top-K choice on numbers worked out by hand. */
class ScoringMathTest {

    private static final ExpertLayerStats SUMS = new ExpertLayerStats(3, new double[] {2.0, 3.0, 0.0},
            new long[] {4, 2, 0}, new double[] {1.0, 1.5, 0.0});

    @Test
    void reapSaliencyIsTheMeanOverRoutedTokensAndZeroForAnExpertNoTokenChose() {
        assertThat(Saliency.of(SUMS, 10, SaliencyNormalization.REAP)).containsExactly(0.5, 1.5, 0.0);
    }

    @Test
    void allTokensSaliencyDividesByEveryTokenOfTheDataSet() {
        assertThat(Saliency.of(SUMS, 10, SaliencyNormalization.ALL_TOKENS)).containsExactly(0.2, 0.3, 0.0);
    }

    @Test
    void theMixedTermAddsWhatMixedDataAsksBeyondVideo() {
        assertThat(new AudioAffinity(1, 1).of(0.2, 0.3, 0.5)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void theMixedTermIsNeverNegative() {
        assertThat(new AudioAffinity(1, 1).of(0.2, 0.3, 0.1)).isEqualTo(0.2);
    }

    @Test
    void lambdaScalesTheMixedTermAndBetaTheVideoSaliencyInsideIt() {
        // 0.2 + 2 · (0.5 − 0.5 · 0.4) = 0.8
        assertThat(new AudioAffinity(2, 0.5).of(0.2, 0.4, 0.5)).isCloseTo(0.8, within(1e-12));
        // β = 2: 0.5 − 0.8 < 0, so only S1 is left
        assertThat(new AudioAffinity(2, 2).of(0.2, 0.4, 0.5)).isEqualTo(0.2);
    }

    @Test
    void withoutMixedAndVideoDataTheAffinityIsTheAudioSaliency() {
        assertThat(new AudioAffinity(1, 1).of(0.7, 0, 0)).isEqualTo(0.7);
    }

    @Test
    void keepsTheTopKListedAscendingWithTiesToTheLowerId() {
        double[] affinity = {0.1, 0.5, 0.5, 0.3, 0.5, 0.6};
        assertThat(ExpertSelection.top(affinity, 2)).containsExactly(1, 5);
        assertThat(ExpertSelection.top(affinity, 3)).containsExactly(1, 2, 5);
        assertThat(ExpertSelection.top(affinity, 4)).containsExactly(1, 2, 4, 5);
    }

    @Test
    void keptCountRoundsRetentionTimesExpertsHalvesUp() {
        assertThat(ExpertSelection.keptCount(0.5, 8)).isEqualTo(4);
        assertThat(ExpertSelection.keptCount(0.3, 8)).isEqualTo(2);
        assertThat(ExpertSelection.keptCount(0.3125, 8)).isEqualTo(3);
        assertThat(ExpertSelection.keptCount(0.25, 128)).isEqualTo(32);
    }

    @Test
    void refusesToKeepMoreExpertsThanTheLayerHas() {
        assertThatThrownBy(() -> ExpertSelection.top(new double[] {1, 2}, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
