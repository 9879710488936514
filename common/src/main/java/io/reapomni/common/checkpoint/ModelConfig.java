package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.json.StrictJson;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A Qwen3-Omni {@code config.json}, read in both the transformers-5 style and the hub's older style, with
 * transformers' defaults for missing keys. Strict: a value of the wrong type, or beyond its stated limit, is refused
 * naming its JSON pointer (see {@link ConfigValues}). Immutable: edits return a new config, and the JSON that is
 * written back keeps every key of the source, in its order, that no edit touched.
 */
public final class ModelConfig {
    public static final String MODEL_TYPE = "qwen3_omni_moe";
    /**
     * Limits of what a config may say, checked before anything is sized by it: far above the real model (48 layers,
     * 128 experts of 768, hidden 2048, 32 heads, vocabulary 152,064), far below what would exhaust memory.
     */
    public static final int MAX_LAYERS = 1024;
    public static final int MAX_EXPERTS = 4096;
    public static final int MAX_HEADS = 1024;
    public static final int MAX_WIDTH = 1 << 18;
    public static final int MAX_VOCABULARY = 1 << 22;

    private static final int DEFAULT_ACCEPT_HIDDEN_LAYER = 18;
    private static final List<String> TOKEN_ID_KEYS = List.of("audio_token_id", "audio_start_token_id",
            "audio_end_token_id", "image_token_id", "video_token_id", "vision_start_token_id", "vision_end_token_id",
            "user_token_id");

    private final ObjectNode root;
    private final Map<MoeStack, StackConfig> stacks = new EnumMap<>(MoeStack.class);
    private final boolean enableAudioOutput;
    private final int talkerAcceptHiddenLayer;

    /** Reads every value reap-omni uses, so that a wrong one is refused now, not halfway through a job. */
    private ModelConfig(ObjectNode root) throws CheckpointException {
        this.root = root;
        for (MoeStack stack : MoeStack.values()) {
            stacks.put(stack, readStack(stack));
        }
        ConfigValues values = new ConfigValues(root, "");
        this.enableAudioOutput = values.bool("enable_audio_output", true);
        this.talkerAcceptHiddenLayer = values.child("talker_config").integer("accept_hidden_layer",
                DEFAULT_ACCEPT_HIDDEN_LAYER, 0, MAX_LAYERS);
        checkMediaValues(values.child("thinker_config"));
    }

    /**
     * The thinker's token ids and its audio and vision towers' sizes, which calibration reads from the config as it
     * is (see {@link #at}): checked here for type and limits, so that a wrong one fails the parse, not a worker.
     * Zero is allowed (a tower of no layers, in generated test models); what is absurd is a size that could not be
     * allocated.
     */
    private static void checkMediaValues(ConfigValues thinker) throws CheckpointException {
        for (String key : TOKEN_ID_KEYS) {
            thinker.integer(key, 0, 0, MAX_VOCABULARY);
        }
        thinker.positive("position_id_per_seconds", 1);
        ConfigValues audio = thinker.child("audio_config");
        for (String key : List.of("d_model", "encoder_layers", "encoder_attention_heads", "encoder_ffn_dim",
                "num_mel_bins", "n_window", "n_window_infer", "output_dim", "downsample_hidden_size")) {
            audio.integer(key, 0, 0, MAX_WIDTH);
        }
        ConfigValues vision = thinker.child("vision_config");
        for (String key : List.of("depth", "hidden_size", "num_heads", "intermediate_size", "patch_size",
                "temporal_patch_size", "in_channels", "spatial_merge_size", "out_hidden_size",
                "num_position_embeddings")) {
            vision.integer(key, 0, 0, MAX_WIDTH);
        }
    }

    public static ModelConfig parse(byte[] json) throws CheckpointException {
        JsonNode node;
        try {
            node = StrictJson.DOCUMENTS.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CheckpointException("config.json is not valid JSON: " + StrictJson.describe(e), e);
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
        return new ModelConfig((ObjectNode) node);
    }

    /** The decoder stack of the thinker or the talker. */
    public StackConfig stack(MoeStack stack) throws CheckpointException {
        return stacks.get(stack);
    }

    private StackConfig readStack(MoeStack stack) throws CheckpointException {
        ConfigValues text = new ConfigValues(root.at(stack.configPath()), stack.configPath());
        boolean thinker = stack == MoeStack.THINKER;
        int hidden = text.integer("hidden_size", thinker ? 2048 : 1024, 1, MAX_WIDTH);
        int heads = text.integer("num_attention_heads", thinker ? 28 : 16, 1, MAX_HEADS);
        String expertsKey = text.has("num_local_experts") || (!thinker && !text.has("num_experts"))
                ? "num_local_experts" : "num_experts";
        int layers = text.integer("num_hidden_layers", thinker ? 28 : 20, 1, MAX_LAYERS);
        int experts = text.integer(expertsKey, 128, 0, MAX_EXPERTS);
        return new StackConfig(
                stack,
                stack.configPath(),
                text.integer("vocab_size", thinker ? 3584 : 3072, 1, MAX_VOCABULARY),
                hidden,
                layers,
                heads,
                text.integer("num_key_value_heads", thinker ? 4 : 2, 1, MAX_HEADS),
                text.integer("head_dim", hidden / heads, 1, MAX_WIDTH),
                text.integer("intermediate_size", thinker ? 18944 : 2048, 1, MAX_WIDTH),
                text.integer("moe_intermediate_size", thinker ? 768 : 384, 1, MAX_WIDTH),
                experts,
                expertsKey,
                text.integer("num_experts_per_tok", 8, 1, MAX_EXPERTS),
                text.bool("norm_topk_prob", thinker),
                text.integer("decoder_sparse_step", 1, 1, MAX_LAYERS),
                text.integers("mlp_only_layers", List.of(), MAX_LAYERS, MAX_LAYERS - 1),
                text.positive("rms_norm_eps", 1e-6),
                rope(text, thinker ? 1_000_000.0 : 10_000.0),
                !thinker);
    }

    /** Whether the talker and code2wav are in use (transformers' default: true). */
    public boolean enableAudioOutput() {
        return enableAudioOutput;
    }

    /** The thinker hidden state the talker reads: an index into the thinker's hidden states (0 = embeddings). */
    public int talkerAcceptHiddenLayer() {
        return talkerAcceptHiddenLayer;
    }

    /** A copy of the JSON value at a pointer such as {@code /thinker_config/audio_token_id}; missing when absent. */
    public JsonNode at(String pointer) {
        JsonNode node = root.at(pointer);
        return node.isMissingNode() ? MissingNode.getInstance() : node.deepCopy();
    }

    /** A new config with {@code value} at {@code pointer}; the parent object must exist, the result be valid. */
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
            String text = StrictJson.MAPPER.writer(printer).writeValueAsString(root) + "\n";
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static RopeConfig rope(ConfigValues text, double defaultTheta) throws CheckpointException {
        // transformers 5: rope_parameters {rope_theta, mrope_section, interleaved}; hub: rope_theta + rope_scaling {...}
        ConfigValues params = text.child("rope_parameters");
        ConfigValues scaling = text.child("rope_scaling");
        ConfigValues sections = params.has("mrope_section") ? params : scaling;
        double theta = params.has("rope_theta") ? params.positive("rope_theta", defaultTheta)
                : text.positive("rope_theta", defaultTheta);
        List<Integer> section = sections.integers("mrope_section", List.of(24, 20, 20), 3, MAX_WIDTH);
        boolean interleaved = sections.bool("interleaved", sections.bool("mrope_interleaved", true));
        return new RopeConfig(theta, section, interleaved);
    }
}
