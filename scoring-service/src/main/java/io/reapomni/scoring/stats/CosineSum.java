package io.reapomni.scoring.stats;

/** Σ over tokens of cos(h_layer, h_{layer+offset}) and the token count: the mean cosine of a block, as a sum. */
public record CosineSum(int layer, int offset, double sum, long tokens) {

    public CosineSum plus(CosineSum other) {
        if (other.layer != layer || other.offset != offset) {
            throw new IllegalArgumentException("cannot add cosine (" + other.layer + ", +" + other.offset + ") to ("
                    + layer + ", +" + offset + ")");
        }
        return new CosineSum(layer, offset, sum + other.sum, tokens + other.tokens);
    }
}
