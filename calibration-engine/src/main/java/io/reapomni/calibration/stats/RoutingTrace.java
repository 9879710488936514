package io.reapomni.calibration.stats;

import io.reapomni.common.calibration.ExpertLayerStats;

/**
 * What one MoE layer did with one sample's tokens, copied to the host: everything the REAP statistics need.
 * Arrays indexed by {@code token * topK + slot} list each token's experts in descending routing weight.
 *
 * @param routerLogits [tokens * numExperts] the router's raw logits
 * @param experts      [tokens * topK] the chosen expert ids
 * @param weights      [tokens * topK] their routing weights (renormalised over the top-k when the config says so)
 * @param outputNorms  [tokens * topK] the L2 norm of each chosen expert's own, unweighted output
 */
public record RoutingTrace(
        int tokens, int numExperts, int topK, float[] routerLogits, int[] experts, float[] weights,
        float[] outputNorms) {

    public RoutingTrace {
        int assignments = tokens * topK;
        if (routerLogits.length != tokens * numExperts || experts.length != assignments
                || weights.length != assignments || outputNorms.length != assignments) {
            throw new IllegalArgumentException("routing arrays do not match " + tokens + " tokens, " + numExperts
                    + " experts, top-" + topK);
        }
    }

    /** The REAP sums of this pass through MoE layer {@code layer}, added up in float64. */
    public ExpertLayerStats expertStats(int layer) {
        double[] saliency = new double[numExperts];
        long[] count = new long[numExperts];
        double[] gate = new double[numExperts];
        for (int assignment = 0; assignment < experts.length; assignment++) {
            int expert = experts[assignment];
            double weight = weights[assignment];
            saliency[expert] += weight * outputNorms[assignment];
            count[expert]++;
            gate[expert] += weight;
        }
        return new ExpertLayerStats(layer, saliency, count, gate);
    }
}
