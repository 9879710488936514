package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the "rotate half" layout: frequency i acts on dimensions i and i + headDim/2.
 * Both the thinker's M-RoPE and the vision tower's 2-D RoPE are this rotation; they differ only in the angle each
 * position gives each frequency.
 *
 * @param cos [T, headDim]
 * @param sin [T, headDim]
 */
public record RotaryEmbedding(NDArray cos, NDArray sin) {

    /**
     * The frequencies {@code 1 / theta^(2i / dims)} for i below dims/2, in float32 as transformers computes them, so
     * that angles round the same way.
     */
    public static float[] inverseFrequencies(int dims, double theta) {
        float[] inverseFrequency = new float[dims / 2];
        for (int i = 0; i < inverseFrequency.length; i++) {
            float exponent = (float) (2 * i) / (float) dims;
            inverseFrequency[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        return inverseFrequency;
    }

    /** Tables from per-position angles [T * headDim/2], each angle used for both halves of the head. */
    public static RotaryEmbedding fromAngles(NDManager manager, float[] angles, int length) {
        int half = angles.length / length;
        int headDim = 2 * half;
        float[] cos = new float[length * headDim];
        float[] sin = new float[length * headDim];
        for (int position = 0; position < length; position++) {
            for (int i = 0; i < half; i++) {
                float angle = angles[position * half + i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                int row = position * headDim;
                cos[row + i] = c;
                cos[row + half + i] = c;
                sin[row + i] = s;
                sin[row + half + i] = s;
            }
        }
        Shape shape = new Shape(length, headDim);
        return new RotaryEmbedding(OwnedArrays.floats(manager, cos, shape), OwnedArrays.floats(manager, sin, shape));
    }

    /** Rotates {@code x} of shape [heads, T, headDim]. */
    public NDArray apply(NDArray x) {
        long half = x.getShape().get(2) / 2;
        NDArray first = x.get(new NDIndex(":, :, :{}", half));
        NDArray second = x.get(new NDIndex(":, :, {}:", half));
        NDArray rotated = second.neg().concat(first, 2);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** The same tables owned by {@code manager}, so that they outlive the scope that built them. */
    public RotaryEmbedding attachedTo(NDManager manager) {
        cos.attach(manager);
        sin.attach(manager);
        return this;
    }
}
