package io.reapomni.calibration;

import io.reapomni.calibration.weights.CheckpointWeightSource;
import io.reapomni.common.calibration.ExpertLayerStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One MoE layer's REAP sums against a transformers reference file's {@code name.saliency_sum} and friends. */
public final class ReferenceSums {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceSums.class);

    private ReferenceSums() {
    }

    /**
     * Routed counts exactly, saliency sums (and gate sums, where the reference has them) within {@code relative}
     * of the reference; prints and returns the largest relative saliency error.
     */
    public static double check(CheckpointWeightSource reference, String name, ExpertLayerStats actual,
                               double relative) throws IOException {
        double[] saliency = TinyFixture.doubles(reference, name + ".saliency_sum");
        double[] counts = TinyFixture.doubles(reference, name + ".routed_count");
        double[] gates = reference.has(name + ".gate_weight_sum")
                ? TinyFixture.doubles(reference, name + ".gate_weight_sum") : null;
        double worst = 0;
        for (int e = 0; e < saliency.length; e++) {
            assertThat((double) actual.routedCount()[e]).as("%s routed count of expert %d", name, e)
                    .isEqualTo(counts[e]);
            double scale = Math.max(Math.abs(saliency[e]), 1e-12);
            worst = Math.max(worst, Math.abs(actual.saliencySum()[e] - saliency[e]) / scale);
            assertThat(actual.saliencySum()[e]).as("%s saliency sum of expert %d", name, e)
                    .isCloseTo(saliency[e], within(relative * scale));
            if (gates != null) {
                assertThat(actual.gateWeightSum()[e]).as("%s gate weight sum of expert %d", name, e)
                        .isCloseTo(gates[e], within(relative * Math.max(Math.abs(gates[e]), 1e-12)));
            }
        }
        LOG.debug(String.format(Locale.ROOT, "%s saliency sums: max relative error %.3g", name, worst));
        return worst;
    }
}
