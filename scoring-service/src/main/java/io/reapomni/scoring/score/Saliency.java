package io.reapomni.scoring.score;

import io.reapomni.common.job.SaliencyNormalization;
import io.reapomni.common.calibration.ExpertLayerStats;

/** S(e, D): an expert's summed g·‖f‖ over data set D, normalised (DESIGN.md, Scoring). */
public final class Saliency {
    private Saliency() {
    }

    /**
     * Per expert of one layer: the sum divided by the expert's routed tokens (REAP) or by all {@code tokens} of the
     * data set; 0 where the divisor is 0 (an expert no token chose has shown no saliency).
     */
    public static double[] of(ExpertLayerStats sums, long tokens, SaliencyNormalization normalization) {
        double[] saliencySum = sums.saliencySum();
        long[] routed = sums.routedCount();
        double[] saliency = new double[saliencySum.length];
        for (int e = 0; e < saliency.length; e++) {
            long divisor = switch (normalization) {
                case REAP -> routed[e];
                case ALL_TOKENS -> tokens;
            };
            saliency[e] = divisor == 0 ? 0 : saliencySum[e] / divisor;
        }
        return saliency;
    }
}
