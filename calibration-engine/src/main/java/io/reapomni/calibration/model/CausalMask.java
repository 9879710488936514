package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The additive mask that hides later positions from earlier ones. */
final class CausalMask {
    private CausalMask() {
    }

    /** [T, T] with 0 on and below the diagonal and -inf above it. */
    static NDArray create(NDManager manager, int length) {
        float[] mask = new float[length * length];
        for (int row = 0; row < length; row++) {
            for (int column = row + 1; column < length; column++) {
                mask[row * length + column] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(mask, new Shape(length, length));
    }
}
