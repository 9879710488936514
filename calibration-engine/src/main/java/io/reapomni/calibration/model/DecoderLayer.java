package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** One pre-norm thinker decoder layer: attention and feed-forward, each added to the residual stream. */
public record DecoderLayer(
        int index, RmsNorm inputNorm, CausalSelfAttention attention, RmsNorm postAttentionNorm,
        FeedForward feedForward, double ropeTheta) {

    /** {@code hidden} is the residual stream [T, hidden] entering this layer. */
    public LayerResult apply(NDArray hidden) {
        int length = Math.toIntExact(hidden.getShape().get(0));
        RotaryEmbedding rope = RotaryEmbedding.create(hidden.getManager(), length, attention.headDim(), ropeTheta);
        NDArray afterAttention = hidden.add(attention.apply(inputNorm.apply(hidden), rope));
        FeedForwardResult feedForwardResult = feedForward.apply(postAttentionNorm.apply(afterAttention));
        return new LayerResult(afterAttention.add(feedForwardResult.output()), feedForwardResult.routing());
    }
}
