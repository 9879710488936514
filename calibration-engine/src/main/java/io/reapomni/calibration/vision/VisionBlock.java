package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.reapomni.calibration.model.LayerNorm;
import io.reapomni.calibration.model.Linear;
import io.reapomni.calibration.model.RotaryEmbedding;

/**
 * One pre-norm block of the vision tower: bidirectional attention with 2-D rotary positions, each frame group
 * attending only within itself, then a tanh-approximated GELU feed-forward; each added to the residual.
 */
public record VisionBlock(LayerNorm attentionNorm, Linear qkv, Linear output, int heads, LayerNorm feedForwardNorm,
                          Linear fc1, Linear fc2) {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /** {@code x} is [patches, hidden]; frame group f holds rows [f·perFrame, (f+1)·perFrame). */
    public NDArray apply(NDArray x, RotaryEmbedding rope, int patchesPerFrame) {
        NDArray attended = x.add(attention(attentionNorm.apply(x), rope, patchesPerFrame));
        return attended.add(fc2.apply(geluTanh(fc1.apply(feedForwardNorm.apply(attended)))));
    }

    private NDArray attention(NDArray x, RotaryEmbedding rope, int patchesPerFrame) {
        long patches = x.getShape().get(0);
        long width = x.getShape().get(1);
        long headDim = width / heads;
        // [3, heads, patches, headDim]
        NDArray projected = qkv.apply(x).reshape(patches, 3, heads, headDim).transpose(1, 2, 0, 3);
        NDArray queries = rope.apply(projected.get(0));
        NDArray keys = rope.apply(projected.get(1));
        NDArray values = projected.get(2);
        NDList frames = new NDList();
        for (long start = 0; start < patches; start += patchesPerFrame) {
            NDIndex range = new NDIndex(":, {}:{}", start, start + patchesPerFrame);
            NDArray weights = queries.get(range).matMul(keys.get(range).transpose(0, 2, 1))
                    .mul(1.0 / Math.sqrt(headDim)).softmax(-1);
            frames.add(weights.matMul(values.get(range)));
        }
        NDArray context = NDArrays.concat(frames, 1).transpose(1, 0, 2).reshape(patches, width);
        return output.apply(context);
    }

    /** transformers' {@code gelu_pytorch_tanh}, the vision MLP's activation. */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
        return x.mul(inner.tanh().add(1)).mul(0.5);
    }
}
