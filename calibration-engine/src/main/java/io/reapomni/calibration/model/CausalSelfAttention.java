package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The thinker's grouped-query attention: per-head RMS norms on queries and keys before RoPE, each key/value head
 * shared by {@code heads / kvHeads} consecutive query heads, causal softmax scaled by 1/sqrt(headDim).
 */
public record CausalSelfAttention(
        Linear queryProjection,
        Linear keyProjection,
        Linear valueProjection,
        Linear outputProjection,
        RmsNorm queryNorm,
        RmsNorm keyNorm,
        int heads,
        int kvHeads,
        int headDim) {

    public CausalSelfAttention {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " key/value heads");
        }
    }

    /** {@code x} is [T, hidden]; returns [T, hidden]. */
    public NDArray apply(NDArray x, RotaryEmbedding rope) {
        int length = Math.toIntExact(x.getShape().get(0));
        NDArray queries = rope.apply(queryNorm.apply(splitHeads(queryProjection.apply(x), heads, length)));
        NDArray keys = rope.apply(keyNorm.apply(splitHeads(keyProjection.apply(x), kvHeads, length)));
        NDArray values = splitHeads(valueProjection.apply(x), kvHeads, length);

        NDArray scores = queries.matMul(shareAcrossGroups(keys, length).transpose(0, 2, 1))
                .mul(1.0 / Math.sqrt(headDim))
                .add(CausalMask.create(x.getManager(), length));
        NDArray context = scores.softmax(-1).matMul(shareAcrossGroups(values, length));
        return outputProjection.apply(context.transpose(1, 0, 2).reshape(length, (long) heads * headDim));
    }

    private NDArray splitHeads(NDArray projected, int headCount, int length) {
        return projected.reshape(length, headCount, headDim).transpose(1, 0, 2);
    }

    private NDArray shareAcrossGroups(NDArray perKvHead, int length) {
        int group = heads / kvHeads;
        return perKvHead.expandDims(1)
                .broadcast(new Shape(kvHeads, group, length, headDim))
                .reshape(heads, length, headDim);
    }
}
