package io.reapomni.common.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.TestCheckpoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigEditsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The fixture's config, or its hub-style variant (rope_theta and rope_scaling instead of rope_parameters). */
    private static ModelConfig fixtureConfig(boolean hubStyle) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(TestCheckpoints.fixtureConfig());
        if (hubStyle) {
            for (String stack : List.of("thinker_config", "talker_config")) {
                ObjectNode text = (ObjectNode) root.get(stack).get("text_config");
                ObjectNode rope = (ObjectNode) text.remove("rope_parameters");
                text.put("rope_theta", rope.remove("rope_theta").asDouble());
                text.set("rope_scaling", rope);
            }
        }
        return ModelConfig.parse(TestCheckpoints.bytes(root));
    }

    private static PruningPlan allThree() {
        return PruningPlan.empty().withStrip(Set.of(Strip.VISION, Strip.TALKER))
                .withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 3, 5)))
                .withExperts(Map.of(MoeStack.THINKER, new TreeMap<>(Map.of(0, List.of(0, 2, 4, 6), 1, List.of(0, 2, 4, 6),
                        3, List.of(0, 2, 4, 6), 5, List.of(0, 2, 4, 6)))));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void editsExpertsLayersAndAudioOutputInBothConfigStyles(boolean hubStyle) throws Exception {
        ConfigEdits edits = ConfigEdits.derive(fixtureConfig(hubStyle), allThree());

        assertThat(edits.edits()).containsExactlyInAnyOrderEntriesOf(Map.<String, JsonNode>of(
                "/enable_audio_output", MAPPER.readTree("false"),
                "/thinker_config/text_config/num_experts", MAPPER.readTree("4"),
                "/thinker_config/text_config/num_hidden_layers", MAPPER.readTree("4")));
        assertThat(edits.edited().stack(MoeStack.THINKER).numExperts()).isEqualTo(4);
        assertThat(edits.edited().stack(MoeStack.THINKER).numHiddenLayers()).isEqualTo(4);
        assertThat(edits.edited().enableAudioOutput()).isFalse();
        assertThat(edits.edited().at("/thinker_config/vision_config")).isEqualTo(fixtureConfig(hubStyle).at("/thinker_config/vision_config"));
        assertThat(edits.edited().stack(MoeStack.THINKER).rope()).isEqualTo(fixtureConfig(hubStyle).stack(MoeStack.THINKER).rope());
    }

    @Test
    void remapsTheTalkersHiddenStateWhenItStays() throws Exception {
        // accept_hidden_layer 3 reads the output of layer 2; dropping layer 1 makes it the output of new layer 1.
        PruningPlan plan = PruningPlan.empty().withLayers(Map.of(MoeStack.THINKER, List.of(0, 2, 3, 4, 5)));

        ConfigEdits edits = ConfigEdits.derive(fixtureConfig(false), plan);

        assertThat(edits.edits()).containsEntry("/talker_config/accept_hidden_layer", MAPPER.readTree("2"));
        assertThat(edits.edited().talkerAcceptHiddenLayer()).isEqualTo(2);
    }

    @Test
    void rewritesASparseStepIntoAnExplicitDenseListAndRemapsLayerTypes() throws Exception {
        ObjectNode root = TestCheckpoints.config(6, 4, 2, 0);
        ObjectNode text = (ObjectNode) root.get("thinker_config").get("text_config");
        text.put("decoder_sparse_step", 2); // layers 1, 3, 5 are MoE; 0, 2, 4 dense
        text.putArray("layer_types").add("a0").add("a1").add("a2").add("a3").add("a4").add("a5");
        PruningPlan plan = PruningPlan.empty().withStrip(Set.of(Strip.TALKER))
                .withLayers(Map.of(MoeStack.THINKER, List.of(0, 1, 3, 4)));

        ConfigEdits edits = ConfigEdits.derive(ModelConfig.parse(TestCheckpoints.bytes(root)), plan);

        assertThat(edits.edits()).containsEntry("/thinker_config/text_config/decoder_sparse_step", MAPPER.readTree("1"))
                .containsEntry("/thinker_config/text_config/mlp_only_layers", MAPPER.readTree("[0,3]"))
                .containsEntry("/thinker_config/text_config/layer_types", MAPPER.readTree("[\"a0\",\"a1\",\"a3\",\"a4\"]"));
        var stack = edits.edited().stack(MoeStack.THINKER);
        assertThat(List.of(stack.isMoeLayer(0), stack.isMoeLayer(1), stack.isMoeLayer(2), stack.isMoeLayer(3)))
                .containsExactly(false, true, true, false);
    }
}
