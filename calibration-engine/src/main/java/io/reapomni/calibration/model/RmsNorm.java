package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Root-mean-square norm over the last axis, in float32, scaled by a learned weight (not 1 + weight). */
public record RmsNorm(NDArray weight, float eps) {

    /** {@code x} [..., d] normalised and weighted in float32. */
    public NDArray apply(NDArray x) {
        return ScriptedKernels.rmsNorm(x, weight, eps);
    }

    /**
     * {@code x} normalised in float32, rounded to {@code type}, then multiplied in {@code type} by the weight:
     * transformers' Qwen3 norm for half-precision weights (it rounds before the weight), for a caller that goes on in
     * that precision. In float32 it is {@link #apply}. The root mean square is taken from one L2 norm, so that the
     * squares are never written out (one pass over x instead of three).
     */
    public NDArray applyRounded(NDArray x, DataType type) {
        return ScriptedKernels.rmsNormRounded(x, weight, eps, type);
    }
}
