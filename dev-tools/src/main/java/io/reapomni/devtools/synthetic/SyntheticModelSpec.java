package io.reapomni.devtools.synthetic;

/**
 * The sizes of a generated Qwen3-Omni-shaped checkpoint. The tensor names and the kinds of tensors are the real
 * model's; the sizes are chosen by the caller, from a few kilobytes for tests and demos up to the full model's
 * per-layer shapes for benchmarks.
 *
 * @param maxShardBytes shards are cut when the next tensor would take them past this size
 */
public record SyntheticModelSpec(
        int hiddenSize,
        int layers,
        int experts,
        int expertsPerToken,
        int moeIntermediateSize,
        int attentionHeads,
        int keyValueHeads,
        int headDim,
        int vocabSize,
        int audioLayers,
        int audioWidth,
        int visionDepth,
        int visionWidth,
        int talkerLayers,
        int talkerExperts,
        int talkerHiddenSize,
        long maxShardBytes) {

    public SyntheticModelSpec {
        if (hiddenSize <= 0 || layers <= 0 || experts <= 0 || expertsPerToken <= 0 || expertsPerToken > experts
                || moeIntermediateSize <= 0 || attentionHeads <= 0 || keyValueHeads <= 0 || headDim <= 0
                || vocabSize <= 0 || audioLayers < 0 || visionDepth < 0 || talkerLayers < 0 || maxShardBytes <= 0) {
            throw new IllegalArgumentException("invalid synthetic model sizes: " + this);
        }
    }

    /** A model of a few megabytes with every component, for demos and tests. */
    public static SyntheticModelSpec small() {
        return new SyntheticModelSpec(64, 8, 16, 4, 32, 4, 2, 16, 512, 2, 32, 2, 32, 2, 8, 32, 1 << 20);
    }

    /**
     * The full model's thinker layer shapes (hidden 2048, 128 experts of 768, 32/4 heads of 128) for as many layers
     * as asked, with small side components, cut into shards of {@code maxShardBytes}.
     */
    public static SyntheticModelSpec fullWidth(int layers, int vocabSize, long maxShardBytes) {
        return new SyntheticModelSpec(2048, layers, 128, 8, 768, 32, 4, 128, vocabSize, 2, 256, 2, 256, 1, 8, 256,
                maxShardBytes);
    }
}
