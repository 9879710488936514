package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Root-mean-square norm over the last axis, in float32, scaled by a learned weight (not 1 + weight). */
public record RmsNorm(NDArray weight, float eps) {

    /** {@code x} [..., d] normalised and weighted in float32. */
    public NDArray apply(NDArray x) {
        return Scratch.keep(in -> in.head().mul(inverseRms(in.head())).mul(weight), x);
    }

    /**
     * {@code x} normalised in float32, rounded to {@code type}, then multiplied in {@code type} by the weight:
     * transformers' Qwen3 norm for half-precision weights (it rounds before the weight), for a caller that goes on in
     * that precision. In float32 it is {@link #apply}.
     */
    public NDArray applyRounded(NDArray x, DataType type) {
        return Scratch.keep(in -> {
            NDArray input = in.head().toType(DataType.FLOAT32, false);
            NDArray typedWeight = weight.toType(type, true);
            typedWeight.attach(in.head().getManager());
            return input.mul(inverseRms(input)).toType(type, false).mul(typedWeight);
        }, x);
    }

    /**
     * 1 / sqrt(mean(x²) + eps) over the last axis, keeping it: from one L2 norm, so that the squares are never
     * written out (one pass over x instead of three).
     */
    private NDArray inverseRms(NDArray x) {
        long width = x.getShape().getLastDimension();
        return x.norm(new int[] {-1}, true).square().div(width).add(eps).pow(-0.5);
    }
}
