package io.reapomni.devtools.benchmark;

import io.reapomni.calibration.model.ComputeOptions;

import java.util.Objects;

/**
 * A calibration throughput measurement: a synthetic checkpoint with the full model's thinker layer shapes and
 * {@code layers} layers, written to disk and read back by the run; {@code samples} text samples of
 * {@code tokensPerSample} random ids; with {@code dropPageCache} the kernel's page cache is dropped before the run
 * (root only), so that the weights come from the disk rather than from memory.
 */
public record BenchmarkSpec(int layers, int tokensPerSample, int samples, ComputeOptions compute,
                            boolean dropPageCache) {
    public BenchmarkSpec {
        Objects.requireNonNull(compute, "compute");
        if (layers < 1 || tokensPerSample < 1 || samples < 1) {
            throw new IllegalArgumentException("layers, tokens and samples must be at least 1, not " + layers + ", "
                    + tokensPerSample + ", " + samples);
        }
    }

    public long totalTokens() {
        return (long) tokensPerSample * samples;
    }
}
