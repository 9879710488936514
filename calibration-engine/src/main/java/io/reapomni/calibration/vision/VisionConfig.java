package io.reapomni.calibration.vision;

import com.fasterxml.jackson.databind.JsonNode;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The vision tower's sizes from {@code thinker_config.vision_config}, with transformers' defaults (those of
 * Qwen3-Omni's vision encoder) where a key is missing.
 *
 * @param deepstackVisualIndexes the blocks after which a deepstack merger taps the hidden states; the i-th tap is
 *                               added to the decoder's hidden states after decoder layer i
 */
public record VisionConfig(int depth, int hiddenSize, int heads, int patchSize, int temporalPatchSize,
                           int inChannels, int spatialMergeSize, int outHiddenSize, int numPositionEmbeddings,
                           double ropeTheta, List<Integer> deepstackVisualIndexes) {
    private static final String CONFIG = "/thinker_config/vision_config/";

    public VisionConfig {
        deepstackVisualIndexes = List.copyOf(deepstackVisualIndexes);
        if (hiddenSize % heads != 0 || (hiddenSize / heads) % 4 != 0) {
            throw new IllegalArgumentException("vision hidden_size " + hiddenSize + " over " + heads
                    + " heads must give a head size divisible by 4 (two axes of rotary pairs)");
        }
        int side = (int) Math.round(Math.sqrt(numPositionEmbeddings));
        if (side * side != numPositionEmbeddings) {
            throw new IllegalArgumentException("num_position_embeddings " + numPositionEmbeddings
                    + " is not a square grid");
        }
    }

    public static VisionConfig of(ModelConfig config) throws CheckpointException {
        try {
            return new VisionConfig(
                    config.at(CONFIG + "depth").asInt(27),
                    config.at(CONFIG + "hidden_size").asInt(1152),
                    config.at(CONFIG + "num_heads").asInt(16),
                    config.at(CONFIG + "patch_size").asInt(16),
                    config.at(CONFIG + "temporal_patch_size").asInt(2),
                    config.at(CONFIG + "in_channels").asInt(3),
                    config.at(CONFIG + "spatial_merge_size").asInt(2),
                    config.at(CONFIG + "out_hidden_size").asInt(3584),
                    config.at(CONFIG + "num_position_embeddings").asInt(2304),
                    config.at(CONFIG + "rope_parameters/rope_theta").asDouble(10000.0),
                    deepstackIndexes(config.at(CONFIG + "deepstack_visual_indexes")));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("thinker_config.vision_config: " + e.getMessage());
        }
    }

    private static List<Integer> deepstackIndexes(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of(8, 16, 24);
        }
        List<Integer> indexes = new ArrayList<>();
        node.forEach(index -> indexes.add(index.asInt()));
        return indexes;
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    /** Values of one patch: channels × temporal patch × patch × patch. */
    public int patchValues() {
        return inChannels * temporalPatchSize * patchSize * patchSize;
    }

    /** Side of the square grid of learned position embeddings. */
    public int positionGridSide() {
        return (int) Math.round(Math.sqrt(numPositionEmbeddings));
    }
}
