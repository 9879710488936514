package io.reapomni.calibration.benchmark;

/**
 * What a calibration benchmark measured.
 *
 * @param checkpointBytes      the synthetic checkpoint's tensor bytes (bf16)
 * @param calibrationSeconds   the layer-by-layer run over all samples, loading every layer's weights included
 * @param sparseMoeSeconds     one MoE block over one sample, each expert on its routed tokens only
 * @param denseMoeSeconds      the same block and sample with every expert on every token: the naive baseline
 */
public record BenchmarkResult(
        BenchmarkSpec spec, long checkpointBytes, double calibrationSeconds, double sparseMoeSeconds,
        double denseMoeSeconds) {

    /** Tokens through the whole thinker per second. */
    public double tokensPerSecond() {
        return spec.totalTokens() / calibrationSeconds;
    }

    public double secondsPerLayer() {
        return calibrationSeconds / spec.layers();
    }

    public double sparseMoeTokensPerSecond() {
        return spec.tokensPerSample() / sparseMoeSeconds;
    }

    public double denseMoeTokensPerSecond() {
        return spec.tokensPerSample() / denseMoeSeconds;
    }
}
