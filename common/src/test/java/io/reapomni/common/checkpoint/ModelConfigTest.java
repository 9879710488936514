package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A config value that is not what transformers would read is refused by its JSON pointer, never defaulted. */
class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFixturesConfigIsRead() throws Exception {
        ModelConfig config = ModelConfig.parse(TestCheckpoints.fixtureConfig());

        assertThat(config.stack(MoeStack.THINKER).numExpertsPerTok()).isEqualTo(2);
        assertThat(config.stack(MoeStack.THINKER).normTopkProb()).isTrue();
    }

    @Test
    void aWronglyTypedValueIsRefusedNamingItsPathInsteadOfBecomingTheDefault() {
        assertRefused(config -> text(config).put("num_experts_per_tok", "2"),
                "/thinker_config/text_config/num_experts_per_tok must be an integer, not \"2\"");
        assertRefused(config -> text(config).put("norm_topk_prob", "true"),
                "/thinker_config/text_config/norm_topk_prob must be true or false");
        assertRefused(config -> text(config).put("num_hidden_layers", 6.5),
                "/thinker_config/text_config/num_hidden_layers must be an integer");
        assertRefused(config -> text(config).putArray("mlp_only_layers").add(1).add("2"),
                "/thinker_config/text_config/mlp_only_layers/1 must be an integer");
        assertRefused(config -> ((ObjectNode) config.get("talker_config")).put("accept_hidden_layer", "3"),
                "/talker_config/accept_hidden_layer must be an integer");
        assertRefused(config -> config.put("enable_audio_output", 1), "/enable_audio_output must be true or false");
        assertRefused(config -> ((ObjectNode) config.get("thinker_config")).put("audio_token_id", "151675"),
                "/thinker_config/audio_token_id must be an integer");
        assertRefused(config -> ((ObjectNode) config.get("thinker_config")).put("vision_config", "none"),
                "/thinker_config/vision_config must be an object");
    }

    @Test
    void absurdSizesAreRefusedByTheirStatedLimitsBeforeAnythingIsSizedByThem() {
        assertRefused(config -> text(config).put("num_experts", 2_000_000_000),
                "/thinker_config/text_config/num_experts is 2000000000, outside 0..4096");
        assertRefused(config -> text(config).put("num_hidden_layers", 1_000_000),
                "/thinker_config/text_config/num_hidden_layers is 1000000, outside 1..1024");
        assertRefused(config -> text(config).put("vocab_size", 1L << 40),
                "/thinker_config/text_config/vocab_size is 1099511627776, outside 1..4194304");
        assertRefused(config -> text(config).put("num_experts_per_tok", 0), "num_experts_per_tok is 0, outside 1..");
    }

    @Test
    void aDuplicatedKeyIsRefused() throws Exception {
        String json = new String(TestCheckpoints.fixtureConfig(), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"model_type\": \"qwen3_omni_moe\", ");

        assertThatThrownBy(() -> ModelConfig.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("Duplicate field 'model_type'");
    }

    private static ObjectNode text(ObjectNode config) {
        return (ObjectNode) config.get("thinker_config").get("text_config");
    }

    private static void assertRefused(Consumer<ObjectNode> edit, String message) {
        ObjectNode config;
        try {
            config = (ObjectNode) JSON.readTree(TestCheckpoints.fixtureConfig());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        edit.accept(config);
        assertThatThrownBy(() -> ModelConfig.parse(JSON.writeValueAsBytes(config)))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(message);
    }
}
