package io.reapomni.common.calibration;

/**
 * Σ over tokens of cos(h_layer, h_{layer+offset}) and the number of tokens; h_l is the residual stream entering
 * layer l, and h_L (L = number of layers) the last layer's output before the final norm.
 */
public record CosineStats(int layer, int offset, double sum, long tokens) {

    public CosineStats {
        if (layer < 0 || offset < 0 || tokens < 0 || !Double.isFinite(sum)) {
            throw new IllegalArgumentException("cosine (" + layer + ", +" + offset + "): layer, offset and tokens"
                    + " must be >= 0 and the sum finite, got sum " + sum + " over " + tokens + " tokens");
        }
    }

    public CosineStats plus(CosineStats other) {
        if (other.layer != layer || other.offset != offset) {
            throw new IllegalArgumentException("cannot add cosine (" + other.layer + ", +" + other.offset + ") to ("
                    + layer + ", +" + offset + ")");
        }
        return new CosineStats(layer, offset, sum + other.sum, tokens + other.tokens);
    }

    /** The mean cosine; NaN when no token was seen. */
    public double mean() {
        return tokens == 0 ? Double.NaN : sum / tokens;
    }
}
