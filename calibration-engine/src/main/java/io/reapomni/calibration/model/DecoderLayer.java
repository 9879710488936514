package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;

/** One pre-norm thinker decoder layer: attention and feed-forward, each added to the residual stream. */
public record DecoderLayer(
        int index, RmsNorm inputNorm, CausalSelfAttention attention, RmsNorm postAttentionNorm,
        FeedForward feedForward) {

    /**
     * @param hidden the residual stream [N, hidden] entering this layer, float32
     * @param rope   the stream's rotary tables, from its samples' M-RoPE positions
     * @param layout where each sample's tokens lie in the stream
     */
    public LayerResult apply(NDArray hidden, RotaryEmbedding rope, StreamLayout layout) {
        NDArray afterAttention = Scratch.keep(in -> in.head().add(attention.apply(inputNorm.apply(in.head()), rope,
                layout)), hidden);
        FeedForwardResult feedForwardResult = feedForward.apply(postAttentionNorm.apply(afterAttention), layout);
        return new LayerResult(afterAttention.add(feedForwardResult.output()), feedForwardResult.routing());
    }
}
