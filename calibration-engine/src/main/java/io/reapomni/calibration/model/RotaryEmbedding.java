package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the "rotate half" layout: frequency i acts on dimensions i and i + headDim/2.
 * For text and audio the three M-RoPE sections all carry the same position, so M-RoPE is this 1-D RoPE with
 * positions 0..T-1, whatever the sections and their interleaving.
 *
 * @param cos [T, headDim]
 * @param sin [T, headDim]
 */
public record RotaryEmbedding(NDArray cos, NDArray sin) {

    /** Tables for positions 0..length-1, computed in float32 the way transformers computes them. */
    public static RotaryEmbedding create(NDManager manager, int length, int headDim, double theta) {
        int half = headDim / 2;
        float[] inverseFrequency = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            inverseFrequency[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        float[] cos = new float[length * headDim];
        float[] sin = new float[length * headDim];
        for (int position = 0; position < length; position++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) position * inverseFrequency[i];
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
        return new RotaryEmbedding(manager.create(cos, shape), manager.create(sin, shape));
    }

    /** Rotates {@code x} of shape [heads, T, headDim]. */
    public NDArray apply(NDArray x) {
        long half = x.getShape().get(2) / 2;
        NDArray first = x.get(new NDIndex(":, :, :{}", half));
        NDArray second = x.get(new NDIndex(":, :, {}:", half));
        NDArray rotated = second.neg().concat(first, 2);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
