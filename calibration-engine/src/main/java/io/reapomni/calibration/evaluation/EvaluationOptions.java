package io.reapomni.calibration.evaluation;

import io.reapomni.calibration.model.ComputeOptions;

import java.util.Objects;

/**
 * How an evaluation runs: the greedy tokens asked of each model after each sample, where and in what precision it
 * computes, and how many bytes of decoded decoder layers may stay on the device between generation steps
 * ({@link GenerationLayers}).
 */
public record EvaluationOptions(int generateTokens, ComputeOptions compute, long residentBytes) {
    /** Generation runs every layer once per token: more than this is a benchmark, not a look at the output. */
    public static final int MAX_GENERATE_TOKENS = 1024;
    public static final int DEFAULT_GENERATE_TOKENS = 8;
    /** Small models stay resident; the full thinker (tens of GB) streams unless a larger budget is given. */
    public static final long DEFAULT_RESIDENT_BYTES = 4L << 30;

    public EvaluationOptions {
        Objects.requireNonNull(compute, "compute");
        if (generateTokens < 0 || generateTokens > MAX_GENERATE_TOKENS) {
            throw new IllegalArgumentException("--generate-tokens must be between 0 and " + MAX_GENERATE_TOKENS
                    + ", not " + generateTokens);
        }
        if (residentBytes < 0) {
            throw new IllegalArgumentException("the resident weight budget cannot be negative: " + residentBytes);
        }
    }

    public EvaluationOptions(int generateTokens, ComputeOptions compute) {
        this(generateTokens, compute, DEFAULT_RESIDENT_BYTES);
    }
}
