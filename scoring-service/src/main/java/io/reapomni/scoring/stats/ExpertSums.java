package io.reapomni.scoring.stats;

/**
 * The REAP sums of one MoE layer that scoring needs: per expert, Σ g_e(x)·‖f_e(x)‖₂ over the tokens routed to it and
 * how many tokens that was. Arrays are copied in and out, so the record stays immutable.
 */
public record ExpertSums(int layer, double[] saliencySum, long[] routedCount) {

    public ExpertSums {
        if (saliencySum.length != routedCount.length) {
            throw new IllegalArgumentException("layer " + layer + ": " + saliencySum.length + " saliency sums but "
                    + routedCount.length + " routed counts");
        }
        saliencySum = saliencySum.clone();
        routedCount = routedCount.clone();
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

    public ExpertSums plus(ExpertSums other) {
        if (other.layer != layer || other.numExperts() != numExperts()) {
            throw new IllegalArgumentException("cannot add layer " + other.layer + " (" + other.numExperts()
                    + " experts) to layer " + layer + " (" + numExperts() + " experts)");
        }
        double[] saliency = saliencySum.clone();
        long[] count = routedCount.clone();
        for (int e = 0; e < saliency.length; e++) {
            saliency[e] += other.saliencySum[e];
            count[e] += other.routedCount[e];
        }
        return new ExpertSums(layer, saliency, count);
    }
}
