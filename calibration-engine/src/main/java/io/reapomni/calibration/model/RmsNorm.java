package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** Root-mean-square norm over the last axis, in float32, scaled by a learned weight (not 1 + weight). */
public record RmsNorm(NDArray weight, float eps) {

    public NDArray apply(NDArray x) {
        return Scratch.keep(in -> {
            NDArray input = in.head();
            NDArray meanSquare = input.square().mean(new int[] {-1}, true);
            return input.mul(meanSquare.add(eps).pow(-0.5)).mul(weight);
        }, x);
    }
}
