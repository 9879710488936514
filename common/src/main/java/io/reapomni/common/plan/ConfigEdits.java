package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.StackConfig;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The config.json changes that a plan implies, and the config with them applied. Only values that change are
 * edits, so that a plan's {@code configEdits} says exactly what differs from the source.
 *
 * @param edits  JSON pointer → new value
 * @param edited the source config with every edit applied
 */
public record ConfigEdits(SortedMap<String, JsonNode> edits, ModelConfig edited) {
    public static final String ACCEPT_HIDDEN_LAYER = "/talker_config/accept_hidden_layer";
    public static final String ENABLE_AUDIO_OUTPUT = "/enable_audio_output";

    public ConfigEdits {
        edits = Collections.unmodifiableSortedMap(new TreeMap<>(edits));
    }

    /**
     * The edits that {@code plan}'s strip, experts and layers imply for {@code config}; the plan's own
     * {@code configEdits} are ignored. Fails when the plan drops the thinker layer whose output the talker reads.
     */
    public static ConfigEdits derive(ModelConfig config, PruningPlan plan) throws CheckpointException {
        Map<String, JsonNode> wanted = new TreeMap<>();
        if (plan.strips(Strip.TALKER)) {
            wanted.put(ENABLE_AUDIO_OUTPUT, BooleanNode.FALSE);
        }
        for (var entry : plan.experts().entrySet()) {
            StackConfig stack = config.stack(entry.getKey());
            int keptExperts = entry.getValue().values().iterator().next().size();
            wanted.put(stack.path() + "/" + stack.numExpertsKey(), IntNode.valueOf(keptExperts));
        }
        for (var entry : plan.layers().entrySet()) {
            layerEdits(config, config.stack(entry.getKey()), entry.getValue(), wanted);
        }
        if (plan.layers().containsKey(MoeStack.THINKER) && talkerReadsThinker(config, plan)) {
            int hiddenState = config.talkerAcceptHiddenLayer();
            int layerCount = config.stack(MoeStack.THINKER).numHiddenLayers();
            OptionalInt remapped = remapHiddenState(hiddenState, plan.layers().get(MoeStack.THINKER), layerCount);
            if (remapped.isEmpty()) {
                throw new CheckpointException(acceptHiddenLayerBroken(hiddenState, layerCount));
            }
            wanted.put(ACCEPT_HIDDEN_LAYER, IntNode.valueOf(remapped.getAsInt()));
        }
        SortedMap<String, JsonNode> edits = new TreeMap<>();
        ModelConfig edited = config;
        for (var entry : wanted.entrySet()) {
            if (!config.at(entry.getKey()).equals(entry.getValue())) {
                edits.put(entry.getKey(), entry.getValue());
                edited = edited.with(entry.getKey(), entry.getValue());
            }
        }
        return new ConfigEdits(edits, edited);
    }

    private static void layerEdits(ModelConfig config, StackConfig stack, List<Integer> kept, Map<String, JsonNode> wanted)
            throws CheckpointException {
        wanted.put(stack.path() + "/num_hidden_layers", IntNode.valueOf(kept.size()));
        // Listing every dense kept layer keeps each layer's kind under any decoder_sparse_step, which is then 1:
        // the step's pattern would otherwise shift onto the renumbered layers.
        ArrayNode mlpOnly = JsonNodeFactory.instance.arrayNode();
        for (int newId = 0; newId < kept.size(); newId++) {
            if (!stack.isMoeLayer(kept.get(newId))) {
                mlpOnly.add(newId);
            }
        }
        if (stack.decoderSparseStep() != 1) {
            wanted.put(stack.path() + "/decoder_sparse_step", IntNode.valueOf(1));
        }
        if (!mlpOnly.isEmpty() || !config.at(stack.path() + "/mlp_only_layers").isMissingNode()) {
            wanted.put(stack.path() + "/mlp_only_layers", mlpOnly);
        }
        String layerTypesPointer = stack.path() + "/layer_types";
        JsonNode layerTypes = config.at(layerTypesPointer);
        if (layerTypes.isArray()) {
            if (layerTypes.size() != stack.numHiddenLayers()) {
                throw new CheckpointException(layerTypesPointer + " has " + layerTypes.size() + " entries but the stack has "
                        + stack.numHiddenLayers() + " layers: cannot tell which entry belongs to which layer");
            }
            ArrayNode remapped = JsonNodeFactory.instance.arrayNode();
            kept.forEach(layer -> remapped.add(layerTypes.get(layer)));
            wanted.put(layerTypesPointer, remapped);
        }
    }

    /**
     * Whether the talker will read a thinker hidden state: it is kept by the plan and enabled by the config (with
     * audio output disabled, transformers never builds the talker, so its index into the thinker does not matter).
     */
    public static boolean talkerReadsThinker(ModelConfig config, PruningPlan plan) {
        return !plan.strips(Strip.TALKER) && config.enableAudioOutput();
    }

    /**
     * The index of a thinker hidden state once only {@code keptLayers} of {@code layerCount} remain. State h is the
     * residual stream at depth h: the embeddings (h = 0), the input of layer h, the last layer's output (h = L). After
     * the cut the same depth is the input of the first kept layer at or after h, whose index is the number of kept
     * layers below h; layer drops are chosen where the stream barely changes, so the talker reads nearly what it did.
     * Empty when h is not a hidden state of the source (a broken config).
     */
    public static OptionalInt remapHiddenState(int hiddenState, List<Integer> keptLayers, int layerCount) {
        if (hiddenState < 0 || hiddenState > layerCount) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) keptLayers.stream().filter(layer -> layer < hiddenState).count());
    }

    static String acceptHiddenLayerBroken(int hiddenState, int layerCount) {
        return "talker_config.accept_hidden_layer is " + hiddenState + ", not one of the thinker's hidden states 0.."
                + layerCount + ": the config is inconsistent; strip the talker or fix the config";
    }
}
