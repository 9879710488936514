package io.reapomni.calibration.stats;

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
}
