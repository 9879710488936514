package io.reapomni.common.calibration;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * REAP sums of one MoE layer over some tokens, in float64: for each expert e, Σ g_e(x)·‖f_e(x)‖₂ and Σ g_e(x) over
 * the tokens routed to e, and how many there were. Sums, so that two runs add up to the run over their union.
 */
public record ExpertLayerStats(
        int layer,
        @JsonProperty("saliency_sum") double[] saliencySum,
        @JsonProperty("routed_count") long[] routedCount,
        @JsonProperty("gate_weight_sum") double[] gateWeightSum) {

    public ExpertLayerStats {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        if (saliencySum == null || routedCount == null || gateWeightSum == null) {
            throw new IllegalArgumentException("layer " + layer
                    + ": saliency_sum, routed_count and gate_weight_sum must be arrays");
        }
        saliencySum = saliencySum.clone();
        routedCount = routedCount.clone();
        gateWeightSum = gateWeightSum.clone();
        if (saliencySum.length != routedCount.length || saliencySum.length != gateWeightSum.length) {
            throw new IllegalArgumentException("layer " + layer + ": per-expert arrays differ in length");
        }
        for (int e = 0; e < routedCount.length; e++) {
            if (routedCount[e] < 0 || !Double.isFinite(saliencySum[e]) || !Double.isFinite(gateWeightSum[e])) {
                throw new IllegalArgumentException("layer " + layer + ", expert " + e
                        + ": sums must be finite and the routed count >= 0");
            }
        }
    }

    public int numExperts() {
        return saliencySum.length;
    }

    @Override
    public double[] saliencySum() {
        return saliencySum.clone();
    }

    @Override
    public long[] routedCount() {
        return routedCount.clone();
    }

    @Override
    public double[] gateWeightSum() {
        return gateWeightSum.clone();
    }

    public ExpertLayerStats plus(ExpertLayerStats other) {
        if (other.layer != layer || other.numExperts() != numExperts()) {
            throw new IllegalArgumentException("cannot add layer " + other.layer + " (" + other.numExperts()
                    + " experts) to layer " + layer + " (" + numExperts() + " experts)");
        }
        double[] saliency = saliencySum.clone();
        long[] count = routedCount.clone();
        double[] gate = gateWeightSum.clone();
        for (int e = 0; e < saliency.length; e++) {
            saliency[e] += other.saliencySum[e];
            count[e] += other.routedCount[e];
            gate[e] += other.gateWeightSum[e];
        }
        return new ExpertLayerStats(layer, saliency, count, gate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertLayerStats other && layer == other.layer
                && Arrays.equals(saliencySum, other.saliencySum) && Arrays.equals(routedCount, other.routedCount)
                && Arrays.equals(gateWeightSum, other.gateWeightSum);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * layer + Arrays.hashCode(saliencySum)) + Arrays.hashCode(routedCount))
                + Arrays.hashCode(gateWeightSum);
    }

    @Override
    public String toString() {
        return "ExpertLayerStats[layer=" + layer + ", saliencySum=" + Arrays.toString(saliencySum) + ", routedCount="
                + Arrays.toString(routedCount) + ", gateWeightSum=" + Arrays.toString(gateWeightSum) + "]";
    }
}
