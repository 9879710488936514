package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Qwen3-Omni {@code config.json}, read in both the transformers-5 style and the hub's older style, with
 * transformers' defaults for missing keys. Immutable: edits return a new config, and the JSON that is written back
 * keeps every key of the source, in its order, that no edit touched.
 */
public final class ModelConfig {
    public static final String MODEL_TYPE = "qwen3_omni_moe";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int DEFAULT_ACCEPT_HIDDEN_LAYER = 18;

    private final ObjectNode root;

    private ModelConfig(ObjectNode root) {
        this.root = root;
    }

    public static ModelConfig parse(byte[] json) throws CheckpointException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new CheckpointException("config.json is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new CheckpointException("config.json is not a JSON object");
        }
        String modelType = node.path("model_type").asText("");
        if (!MODEL_TYPE.equals(modelType)) {
            throw new CheckpointException("config.json has model_type \"" + modelType
                    + "\", not Qwen3-Omni (\"" + MODEL_TYPE + "\"): reap-omni only knows the Qwen3-Omni layout");
        }
        ModelConfig config = new ModelConfig((ObjectNode) node);
        config.stack(MoeStack.THINKER); // fail now, not halfway through a job, if the thinker's numbers are unusable
        return config;
    }

    /** The decoder stack of the thinker or the talker. */
    public StackConfig stack(MoeStack stack) throws CheckpointException {
        JsonNode text = root.at(stack.configPath());
        boolean thinker = stack == MoeStack.THINKER;
        int hidden = intOr(text, "hidden_size", thinker ? 2048 : 1024);
        int heads = intOr(text, "num_attention_heads", thinker ? 28 : 16);
        if (heads <= 0 || hidden <= 0) {
            throw new CheckpointException(stack.configPath() + ": hidden_size and num_attention_heads must be positive");
        }
        String expertsKey = text.has("num_local_experts") || (!thinker && !text.has("num_experts"))
                ? "num_local_experts" : "num_experts";
        int sparseStep = intOr(text, "decoder_sparse_step", 1);
        if (sparseStep <= 0) {
            throw new CheckpointException(stack.configPath() + "/decoder_sparse_step must be positive, not " + sparseStep);
        }
        int layers = intOr(text, "num_hidden_layers", thinker ? 28 : 20);
        int experts = intOr(text, expertsKey, 128);
        int topK = intOr(text, "num_experts_per_tok", 8);
        if (layers <= 0 || experts < 0 || topK <= 0) {
            throw new CheckpointException(stack.configPath() + ": num_hidden_layers, " + expertsKey
                    + " and num_experts_per_tok must be positive");
        }
        return new StackConfig(
                stack,
                stack.configPath(),
                intOr(text, "vocab_size", thinker ? 3584 : 3072),
                hidden,
                layers,
                heads,
                intOr(text, "num_key_value_heads", thinker ? 4 : 2),
                text.hasNonNull("head_dim") ? text.get("head_dim").asInt() : hidden / heads,
                intOr(text, "intermediate_size", thinker ? 18944 : 2048),
                intOr(text, "moe_intermediate_size", thinker ? 768 : 384),
                experts,
                expertsKey,
                topK,
                text.path("norm_topk_prob").asBoolean(thinker),
                sparseStep,
                intList(text.path("mlp_only_layers")),
                text.path("rms_norm_eps").asDouble(1e-6),
                rope(text, thinker ? 1_000_000.0 : 10_000.0),
                !thinker);
    }

    /** Whether the talker and code2wav are in use (transformers' default: true). */
    public boolean enableAudioOutput() {
        return root.path("enable_audio_output").asBoolean(true);
    }

    /** The thinker hidden state the talker reads: an index into the thinker's hidden states (0 = embeddings). */
    public int talkerAcceptHiddenLayer() {
        return intOr(root.path("talker_config"), "accept_hidden_layer", DEFAULT_ACCEPT_HIDDEN_LAYER);
    }

    /** A copy of the JSON value at a pointer such as {@code /thinker_config/audio_token_id}; missing when absent. */
    public JsonNode at(String pointer) {
        JsonNode node = root.at(pointer);
        return node.isMissingNode() ? MissingNode.getInstance() : node.deepCopy();
    }

    /** A new config with {@code value} at {@code pointer}; the parent object must exist. */
    public ModelConfig with(String pointer, JsonNode value) throws CheckpointException {
        JsonPointer path = JsonPointer.compile(pointer);
        ObjectNode copy = root.deepCopy();
        JsonNode parent = copy.at(path.head());
        if (!parent.isObject()) {
            throw new CheckpointException("config.json has no object at " + path.head() + " to set " + pointer + " in");
        }
        ((ObjectNode) parent).set(path.last().getMatchingProperty(), value);
        return new ModelConfig(copy);
    }

    /** The config as transformers writes it: two-space indentation, a newline at the end. */
    public byte[] toJsonBytes() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        try {
            String text = MAPPER.writer(printer).writeValueAsString(root) + "\n";
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static RopeConfig rope(JsonNode text, double defaultTheta) {
        // transformers 5: rope_parameters {rope_theta, mrope_section, interleaved}; hub: rope_theta + rope_scaling {...}
        JsonNode params = text.path("rope_parameters");
        JsonNode scaling = text.path("rope_scaling");
        JsonNode sectionSource = params.has("mrope_section") ? params : scaling;
        double theta = params.has("rope_theta") ? params.get("rope_theta").asDouble()
                : text.path("rope_theta").asDouble(defaultTheta);
        List<Integer> section = sectionSource.has("mrope_section")
                ? intList(sectionSource.get("mrope_section")) : List.of(24, 20, 20);
        boolean interleaved = sectionSource.path("interleaved").asBoolean(sectionSource.path("mrope_interleaved").asBoolean(true));
        return new RopeConfig(theta, section, interleaved);
    }

    private static int intOr(JsonNode node, String key, int fallback) {
        JsonNode value = node.path(key);
        return value.isNumber() ? value.asInt() : fallback;
    }

    private static List<Integer> intList(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(element -> values.add(element.asInt()));
        return values;
    }
}
