package io.reapomni.common.checkpoint;

import java.util.List;

/**
 * The decoder stack of the thinker or the talker, as its config describes it (with transformers' defaults where a
 * key is missing).
 *
 * @param path             the JSON pointer of this stack's config object, e.g. {@code /thinker_config/text_config}
 * @param numExpertsKey    which key holds the expert count: {@code num_experts} or the talker's {@code num_local_experts}
 * @param mlpOnlyLayers    layers with a dense MLP instead of experts
 * @param sharedExpert     whether MoE layers also have a shared expert and its gate (the talker)
 */
public record StackConfig(
        MoeStack stack,
        String path,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int intermediateSize,
        int moeIntermediateSize,
        int numExperts,
        String numExpertsKey,
        int numExpertsPerTok,
        boolean normTopkProb,
        int decoderSparseStep,
        List<Integer> mlpOnlyLayers,
        double rmsNormEps,
        RopeConfig rope,
        boolean sharedExpert) {

    public StackConfig {
        mlpOnlyLayers = List.copyOf(mlpOnlyLayers);
    }

    /** Whether layer {@code layer} routes to experts, by the rule transformers applies when it builds the stack. */
    public boolean isMoeLayer(int layer) {
        return numExperts > 0 && !mlpOnlyLayers.contains(layer) && (layer + 1) % decoderSparseStep == 0;
    }
}
