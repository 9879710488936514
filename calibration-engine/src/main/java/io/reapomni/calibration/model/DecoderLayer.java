package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/** One pre-norm thinker decoder layer: attention and feed-forward, each added to the residual stream. */
public record DecoderLayer(
        int index, RmsNorm inputNorm, CausalSelfAttention attention, RmsNorm postAttentionNorm,
        FeedForward feedForward) {

    /**
     * @param hidden the residual stream [N, hidden] entering this layer, float32
     * @param rope   the stream's rotary tables, from its samples' M-RoPE positions
     * @param layout where each sample's tokens lie in the stream, with the indices layers derive from that
     */
    public LayerResult apply(NDArray hidden, RotaryEmbedding rope, DeviceLayout layout) {
        NDArray afterAttention = Scratch.keep(in -> in.head().add(attention.apply(attentionInput(in.head()), rope,
                layout)), hidden);
        FeedForwardResult feedForwardResult = feedForward.apply(postAttentionNorm.apply(afterAttention), layout);
        return new LayerResult(afterAttention.add(feedForwardResult.output()), feedForwardResult.routing());
    }

    /**
     * The keys and values this layer's attention computes for a prompt, from the stream {@code hidden} [T, hidden]
     * that entered this layer when the prompt ran through it, kept on {@code owner} for generation.
     */
    public KeyValueCache cache(NDArray hidden, RotaryEmbedding rope, NDManager owner) {
        return attention.cache(attentionInput(hidden), rope, owner);
    }

    /**
     * One generation step through this layer: one new token per sample [S, hidden], attending to its sample's cache,
     * which it extends ({@link CausalSelfAttention#applyCached}).
     */
    public NDArray decode(NDArray hidden, RotaryEmbedding rope, DeviceLayout layout, List<KeyValueCache> caches) {
        NDArray afterAttention = hidden.add(attention.applyCached(attentionInput(hidden), rope, caches));
        return afterAttention.add(feedForward.apply(postAttentionNorm.apply(afterAttention), layout).output());
    }

    /** The normed stream, rounded to the attention's precision once for its three projections, as transformers does. */
    private NDArray attentionInput(NDArray hidden) {
        return inputNorm.applyRounded(hidden, attention.computeType());
    }
}
