package io.reapomni.calibration.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.TestDevice;
import io.reapomni.calibration.model.Linear;
import io.reapomni.calibration.model.OwnedArrays;
import io.reapomni.calibration.model.RmsNorm;
import io.reapomni.calibration.model.ThinkerHead;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A position where a model's final hidden state overflowed has no distribution to compare: it is counted for that
 * model, so that the sample is reported instead of averaged in as NaN.
 */
class QualityMetricsTest {
    private static final int HIDDEN = 4;
    private static final int VOCABULARY = 5;
    private static final int[] TOKENS = {1, 2, 3, 4};

    @Test
    void positionsWhoseDistributionIsNotFiniteAreCountedPerModel() {
        try (NDManager device = TestDevice.newManager()) {
            ThinkerHead head = head(device);
            NDArray finite = hidden(device);
            NDArray overflowed = hidden(device);
            overflowed.set(new NDIndex("1, 2"), Float.POSITIVE_INFINITY);

            QualityMetrics.Sums same = QualityMetrics.compare(TOKENS, finite, finite, head, head, id -> true, device);
            QualityMetrics.Sums broken = QualityMetrics.compare(TOKENS, finite, overflowed, head, head, id -> true,
                    device);

            assertThat(same.notFinite()).isEmpty();
            assertThat(same.klMean()).isCloseTo(0, within(1e-6));
            assertThat(broken.nonFiniteOriginal()).isZero();
            assertThat(broken.nonFinitePruned()).isEqualTo(1);
            assertThat(broken.notFinite()).contains("the next-token distributions are not finite (NaN or infinite)"
                    + " at 0 of its 3 positions under the original model and 1 under the pruned one");
        }
    }

    private static ThinkerHead head(NDManager device) {
        float[] weights = new float[VOCABULARY * HIDDEN];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 7) * 0.25f - 0.5f;
        }
        return new ThinkerHead(new RmsNorm(OwnedArrays.floats(device, new float[] {1, 1, 1, 1}, new Shape(HIDDEN)),
                1e-6f), Linear.of(OwnedArrays.floats(device, weights, new Shape(VOCABULARY, HIDDEN))));
    }

    /** [tokens, hidden] states that differ by position. */
    private static NDArray hidden(NDManager device) {
        float[] values = new float[TOKENS.length * HIDDEN];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.5f * ((i % 5) - 2);
        }
        return OwnedArrays.floats(device, values, new Shape(TOKENS.length, HIDDEN));
    }
}
