package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** One pre-norm thinker decoder layer: attention and feed-forward, each added to the residual stream. */
public record DecoderLayer(
        int index, RmsNorm inputNorm, CausalSelfAttention attention, RmsNorm postAttentionNorm,
        FeedForward feedForward) {

    /**
     * @param hidden the residual stream [T, hidden] entering this layer
     * @param rope   the sample's rotary tables, from its M-RoPE positions
     */
    public LayerResult apply(NDArray hidden, RotaryEmbedding rope) {
        NDArray afterAttention = hidden.add(attention.apply(inputNorm.apply(hidden), rope));
        FeedForwardResult feedForwardResult = feedForward.apply(postAttentionNorm.apply(afterAttention));
        return new LayerResult(afterAttention.add(feedForwardResult.output()), feedForwardResult.routing());
    }
}
