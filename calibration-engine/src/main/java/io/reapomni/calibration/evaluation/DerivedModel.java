package io.reapomni.calibration.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a model can be what reap-omni's pruning made of another: the same tokenizer and token ids, the same
 * thinker width, attention, rotary positions and vocabulary, the same audio tower; no more decoder layers and no more
 * experts per layer. A pruning only removes layers, experts and components, so a model that differs in anything else
 * was not made from this original, and comparing their predictions would be comparing unrelated models.
 */
final class DerivedModel {
    private DerivedModel() {
    }

    /**
     * @param originalTokenizer the bytes of the original's {@code tokenizer.json}
     * @param prunedTokenizer   the pruned model's; empty when it has none
     * @throws ModelMismatchException naming every difference, with both values
     */
    static void check(ModelConfig original, ModelConfig pruned, byte[] originalTokenizer,
                      Optional<byte[]> prunedTokenizer) throws ModelMismatchException {
        List<String> differences = new ArrayList<>();
        StackConfig from;
        StackConfig to;
        try {
            from = original.stack(MoeStack.THINKER);
            to = pruned.stack(MoeStack.THINKER);
        } catch (CheckpointException e) {
            throw new ModelMismatchException("the thinker's config cannot be read: " + e.getMessage());
        }
        same(differences, "vocabulary size (vocab_size)", from.vocabSize(), to.vocabSize());
        same(differences, "hidden size (hidden_size)", from.hiddenSize(), to.hiddenSize());
        same(differences, "attention heads (num_attention_heads)", from.numAttentionHeads(), to.numAttentionHeads());
        same(differences, "key/value heads (num_key_value_heads)", from.numKeyValueHeads(), to.numKeyValueHeads());
        same(differences, "head size (head_dim)", from.headDim(), to.headDim());
        same(differences, "rotary positions (rope)", from.rope(), to.rope());
        same(differences, "norm epsilon (rms_norm_eps)", from.rmsNormEps(), to.rmsNormEps());
        same(differences, "experts chosen per token (num_experts_per_tok)", from.numExpertsPerTok(),
                to.numExpertsPerTok());
        if (to.numHiddenLayers() > from.numHiddenLayers()) {
            differences.add("it has more decoder layers (" + to.numHiddenLayers() + ") than the original ("
                    + from.numHiddenLayers() + ")");
        }
        if (to.numExperts() > from.numExperts()) {
            differences.add("it has more experts per layer (" + to.numExperts() + ") than the original ("
                    + from.numExperts() + ")");
        }
        sameTokenIds(differences, original.at("/thinker_config"), pruned.at("/thinker_config"));
        same(differences, "audio tower (thinker_config.audio_config)", original.at("/thinker_config/audio_config"),
                pruned.at("/thinker_config/audio_config"));
        if (prunedTokenizer.isEmpty()) {
            differences.add("it has no tokenizer.json");
        } else if (!Arrays.equals(originalTokenizer, prunedTokenizer.get())) {
            differences.add("its tokenizer.json differs from the original's");
        }
        if (!differences.isEmpty()) {
            throw new ModelMismatchException("the pruned model is not derived from the original: "
                    + String.join("; ", differences));
        }
    }

    /** Every {@code *_token_id} of {@code thinker_config} in either model: media pads and frames, the user marker. */
    private static void sameTokenIds(List<String> differences, JsonNode original, JsonNode pruned) {
        List<String> keys = new ArrayList<>();
        for (JsonNode config : List.of(original, pruned)) {
            for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.endsWith("_token_id") && !keys.contains(name)) {
                    keys.add(name);
                }
            }
        }
        for (String key : keys) {
            same(differences, "thinker_config." + key, original.path(key), pruned.path(key));
        }
    }

    private static void same(List<String> differences, String what, Object original, Object pruned) {
        if (!Objects.equals(original, pruned)) {
            differences.add(what + " is " + pruned + ", the original's " + original);
        }
    }
}
