package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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

    /**
     * Tables from per-position angles [T * headDim/2], each angle used for both halves of the head; the cosines and
     * sines are taken on {@code manager}'s device, in float32 as transformers takes them.
     */
    public static RotaryEmbedding fromAngles(NDManager manager, float[] angles, int length) {
        int half = angles.length / length;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray perFrequency = OwnedArrays.floats(scratch, angles, new Shape(length, half));
            NDArray bothHalves = perFrequency.concat(perFrequency, 1);
            NDArray cos = bothHalves.cos();
            NDArray sin = bothHalves.sin();
            cos.attach(manager);
            sin.attach(manager);
            return new RotaryEmbedding(cos, sin);
        }
    }

    /**
     * The tables in {@code type}, for rotations in that precision (transformers rotates half-precision queries and
     * keys in their own precision); converted tables belong to {@code owner}, tables already in it are these.
     */
    public RotaryEmbedding in(DataType type, NDManager owner) {
        if (cos.getDataType() == type && sin.getDataType() == type) {
            return this;
        }
        NDArray convertedCos = cos.toType(type, true);
        NDArray convertedSin = sin.toType(type, true);
        convertedCos.attach(owner);
        convertedSin.attach(owner);
        return new RotaryEmbedding(convertedCos, convertedSin);
    }

    /** Rotates {@code x} [..., headDim] by tables that broadcast against it. */
    public NDArray apply(NDArray x) {
        return ScriptedKernels.rotate(x, cos, sin);
    }
}
