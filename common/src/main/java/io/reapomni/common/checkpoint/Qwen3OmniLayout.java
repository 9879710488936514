package io.reapomni.common.checkpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tensor names of a Qwen3-Omni checkpoint as transformers writes them, described once: this class names every
 * tensor that reap-omni reads or writes (the decoder layers of the thinker and the talker, their routers and
 * experts, the towers, embeddings and heads) and classifies any name (its {@link Component}, and for a decoder layer
 * tensor its stack, layer, {@link LayerTensorKind} and expert). No other class builds or takes apart a tensor name.
 *
 * <p>A weight and its bias share a {@link Module} name: {@code thinker.audio_tower.proj1} holds
 * {@code thinker.audio_tower.proj1.weight} and {@code thinker.audio_tower.proj1.bias}.
 */
public final class Qwen3OmniLayout {
    private static final String AUDIO_TOWER = "thinker.audio_tower.";
    private static final String VISION = "thinker.visual.";
    private static final String THINKER_MODEL = "thinker.model.";
    private static final String THINKER_LM_HEAD = "thinker.lm_head.";
    private static final String TALKER = "talker.";
    private static final String TALKER_MODEL = "talker.model.";
    private static final String CODE2WAV = "code2wav.";
    private static final String LAYERS = "layers.";
    private static final String EXPERTS = "mlp.experts.";
    private static final String DENSE_MLP = "mlp.";
    private static final String ROUTER = "mlp.gate.weight";
    private static final String SHARED_EXPERT = "mlp.shared_expert.";
    private static final String SHARED_EXPERT_GATE = "mlp.shared_expert_gate.";
    private static final String WEIGHT = ".weight";
    private static final String BIAS = ".bias";

    /** Name prefixes of the components, in the order they are tried (the longer thinker prefixes first). */
    private static final List<Map.Entry<String, Component>> COMPONENT_PREFIXES = List.of(
            Map.entry(AUDIO_TOWER, Component.AUDIO_TOWER),
            Map.entry(VISION, Component.VISION),
            Map.entry(THINKER_MODEL, Component.THINKER_TEXT),
            Map.entry(THINKER_LM_HEAD, Component.THINKER_TEXT),
            Map.entry(TALKER, Component.TALKER),
            Map.entry(CODE2WAV, Component.CODE2WAV));

    /** The thinker's token embedding table, [vocab, hidden]. */
    public static final String EMBED_TOKENS = THINKER_MODEL + "embed_tokens" + WEIGHT;
    /** The thinker's language-model head, [vocab, hidden]. */
    public static final String LM_HEAD = THINKER_LM_HEAD + "weight";
    /** The talker's codec head. */
    public static final String TALKER_CODEC_HEAD = TALKER + "codec_head" + WEIGHT;
    /** code2wav's code embedding. */
    public static final String CODE2WAV_CODE_EMBEDDING = CODE2WAV + "code_embedding" + WEIGHT;
    /** The norm of code2wav's pre-transformer. */
    public static final String CODE2WAV_PRE_TRANSFORMER_NORM = CODE2WAV + "pre_transformer.norm" + WEIGHT;

    private Qwen3OmniLayout() {
    }

    /** A weight and, where the checkpoint has one, its bias: the tensors of one module. */
    public static final class Module {
        private final String name;

        private Module(String name) {
            this.name = name;
        }

        public String weight() {
            return name + WEIGHT;
        }

        public String bias() {
            return name + BIAS;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The attention projections and norms of a thinker or talker decoder layer. */
    public enum DecoderModule {
        Q_PROJ("self_attn.q_proj"), K_PROJ("self_attn.k_proj"), V_PROJ("self_attn.v_proj"), O_PROJ("self_attn.o_proj"),
        Q_NORM("self_attn.q_norm"), K_NORM("self_attn.k_norm"),
        INPUT_NORM("input_layernorm"), POST_ATTENTION_NORM("post_attention_layernorm");

        private final String path;

        DecoderModule(String path) {
            this.path = path;
        }
    }

    /** The three projections of a gated MLP: a routed expert, a dense layer's MLP or the talker's shared expert. */
    public enum Projection {
        GATE, UP, DOWN;

        private String weight() {
            return name().toLowerCase(Locale.ROOT) + "_proj" + WEIGHT;
        }
    }

    /** The modules of the audio tower outside its encoder layers. */
    public enum AudioTowerModule {
        CONV2D1, CONV2D2, CONV2D3, CONV_OUT, LN_POST, PROJ1, PROJ2;

        private String path() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The modules of one encoder layer of the audio tower. */
    public enum AudioLayerModule {
        SELF_ATTN_LAYER_NORM("self_attn_layer_norm"), Q_PROJ("self_attn.q_proj"), K_PROJ("self_attn.k_proj"),
        V_PROJ("self_attn.v_proj"), OUT_PROJ("self_attn.out_proj"), FINAL_LAYER_NORM("final_layer_norm"),
        FC1("fc1"), FC2("fc2");

        private final String path;

        AudioLayerModule(String path) {
            this.path = path;
        }
    }

    /** The modules of the vision tower outside its blocks and mergers. */
    public enum VisionModule {
        /** The Conv3d over a patch, [hidden, channels, temporal, patch, patch]. */
        PATCH_EMBED("patch_embed.proj"),
        /** The learned position embeddings, [positions, hidden]; it has no bias. */
        POS_EMBED("pos_embed");

        private final String path;

        VisionModule(String path) {
            this.path = path;
        }
    }

    /** The modules of one vision block. */
    public enum VisionBlockModule {
        NORM1("norm1"), QKV("attn.qkv"), PROJ("attn.proj"), NORM2("norm2"), FC1("mlp.linear_fc1"),
        FC2("mlp.linear_fc2");

        private final String path;

        VisionBlockModule(String path) {
            this.path = path;
        }
    }

    /** The modules of a patch merger: the vision tower's output merger and each deepstack merger. */
    public enum MergerModule {
        LN_Q("ln_q"), FC1("mlp.0"), FC2("mlp.2");

        private final String path;

        MergerModule(String path) {
            this.path = path;
        }
    }

    // ---- naming -------------------------------------------------------------------------------------------------

    /** An attention projection or norm of decoder layer {@code layer} of {@code stack}. */
    public static Module decoder(MoeStack stack, int layer, DecoderModule module) {
        return new Module(layerTensor(stack, layer, module.path));
    }

    /** The router of an MoE layer, {@code mlp.gate.weight}: one row per expert. */
    public static String router(MoeStack stack, int layer) {
        return layerTensor(stack, layer, ROUTER);
    }

    /** One projection of routed expert {@code expert}: {@code mlp.experts.E.{gate,up,down}_proj.weight}. */
    public static String expert(MoeStack stack, int layer, int expert, Projection projection) {
        return expertTensor(stack, layer, expert, projection.weight());
    }

    /** One projection of the MLP of a dense layer (one of {@code mlp_only_layers}). */
    public static String denseMlp(MoeStack stack, int layer, Projection projection) {
        return layerTensor(stack, layer, DENSE_MLP + projection.weight());
    }

    /** One projection of the talker's always-active shared expert of layer {@code layer}. */
    public static String sharedExpert(int layer, Projection projection) {
        return layerTensor(MoeStack.TALKER, layer, SHARED_EXPERT + projection.weight());
    }

    /** The gate of the talker's shared expert of layer {@code layer}, one row. */
    public static String sharedExpertGate(int layer) {
        return layerTensor(MoeStack.TALKER, layer, SHARED_EXPERT_GATE + "weight");
    }

    /** The norm after the last decoder layer of {@code stack}. */
    public static String finalNorm(MoeStack stack) {
        return model(stack) + "norm" + WEIGHT;
    }

    /** A module of the audio tower outside its layers. */
    public static Module audioTower(AudioTowerModule module) {
        return new Module(AUDIO_TOWER + module.path());
    }

    /** A module of encoder layer {@code layer} of the audio tower. */
    public static Module audioLayer(int layer, AudioLayerModule module) {
        return new Module(AUDIO_TOWER + LAYERS + index(layer) + "." + module.path);
    }

    /** A module of the vision tower outside its blocks and mergers. */
    public static Module vision(VisionModule module) {
        return new Module(VISION + module.path);
    }

    /** A module of vision block {@code block}. */
    public static Module visionBlock(int block, VisionBlockModule module) {
        return new Module(VISION + "blocks." + index(block) + "." + module.path);
    }

    /** A module of the merger that turns the vision tower's output into thinker embeddings. */
    public static Module merger(MergerModule module) {
        return new Module(VISION + "merger." + module.path);
    }

    /** A module of deepstack merger {@code index} (one per entry of {@code deepstack_visual_indexes}). */
    public static Module deepstackMerger(int index, MergerModule module) {
        return new Module(VISION + "merger_list." + index(index) + "." + module.path);
    }

    /**
     * How the decoder layer tensors of {@code stack} are named, for messages: {@code thinker.model.layers.N.*}.
     */
    public static String layerPattern(MoeStack stack) {
        return layers(stack) + "N.*";
    }

    // ---- classifying --------------------------------------------------------------------------------------------

    /** What a tensor name is: its component and, for a thinker or talker decoder layer tensor, which one. */
    public static TensorName classify(String name) {
        Component component = component(name);
        for (MoeStack stack : MoeStack.values()) {
            String layers = layers(stack);
            if (name.startsWith(layers)) {
                String afterPrefix = name.substring(layers.length());
                int dot = afterPrefix.indexOf('.');
                OptionalInt layer = dot < 0 ? OptionalInt.empty() : DecimalIndex.parse(afterPrefix.substring(0, dot));
                if (layer.isPresent()) {
                    return new TensorName(name, component,
                            Optional.of(parseLayerTensor(stack, layer.getAsInt(), afterPrefix.substring(dot + 1))));
                }
            }
        }
        return new TensorName(name, component, Optional.empty());
    }

    /** The component a tensor belongs to, by its name. */
    public static Component component(String name) {
        for (Map.Entry<String, Component> prefix : COMPONENT_PREFIXES) {
            if (name.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return Component.OTHER;
    }

    /**
     * Whether a tensor is the scale of a norm (RMS or layer norm): a weight that multiplies normalised values, so
     * that a trained one holds values near one.
     */
    public static boolean isNormScale(String name) {
        return name.endsWith("norm" + WEIGHT) || name.endsWith("norm1" + WEIGHT) || name.endsWith("norm2" + WEIGHT)
                || name.endsWith(AudioTowerModule.LN_POST.path() + WEIGHT)
                || name.endsWith(MergerModule.LN_Q.path + WEIGHT);
    }

    /** Whether {@code name} starts like a decoder layer tensor of {@code stack}, layer number or not. */
    static boolean underLayersOf(MoeStack stack, String name) {
        return name.startsWith(layers(stack));
    }

    /** The name of a layer tensor moved to {@code layer} and, for a routed expert, to {@code expert}. */
    static String renamed(LayerTensor tensor, int layer, OptionalInt expert) {
        if (expert.isPresent() != tensor.expert().isPresent()) {
            throw new IllegalArgumentException("an expert tensor needs a new expert id, any other tensor none");
        }
        return expert.isPresent()
                ? expertTensor(tensor.stack(), layer, expert.getAsInt(), tensor.rest())
                : layerTensor(tensor.stack(), layer, tensor.rest());
    }

    private static LayerTensor parseLayerTensor(MoeStack stack, int layer, String rest) {
        if (rest.equals(ROUTER)) {
            return new LayerTensor(stack, layer, LayerTensorKind.ROUTER, OptionalInt.empty(), rest);
        }
        if (rest.startsWith(SHARED_EXPERT) || rest.startsWith(SHARED_EXPERT_GATE)) {
            return new LayerTensor(stack, layer, LayerTensorKind.SHARED_EXPERT, OptionalInt.empty(), rest);
        }
        if (!rest.startsWith(EXPERTS)) {
            return new LayerTensor(stack, layer, LayerTensorKind.OTHER, OptionalInt.empty(), rest);
        }
        String afterExperts = rest.substring(EXPERTS.length());
        int dot = afterExperts.indexOf('.');
        String projection = dot < 0 ? "" : afterExperts.substring(dot + 1);
        OptionalInt expert = dot < 0 ? OptionalInt.empty() : DecimalIndex.parse(afterExperts.substring(0, dot));
        boolean perExpert = expert.isPresent() && Arrays.stream(Projection.values())
                .anyMatch(known -> known.weight().equals(projection));
        return perExpert
                ? new LayerTensor(stack, layer, LayerTensorKind.EXPERT, expert, projection)
                : new LayerTensor(stack, layer, LayerTensorKind.FUSED_EXPERTS, OptionalInt.empty(), rest);
    }

    private static String model(MoeStack stack) {
        return switch (stack) {
            case THINKER -> THINKER_MODEL;
            case TALKER -> TALKER_MODEL;
        };
    }

    private static String layers(MoeStack stack) {
        return model(stack) + LAYERS;
    }

    private static String layerTensor(MoeStack stack, int layer, String rest) {
        return layers(stack) + index(layer) + "." + rest;
    }

    private static String expertTensor(MoeStack stack, int layer, int expert, String projection) {
        return layerTensor(stack, layer, EXPERTS + index(expert) + "." + projection);
    }

    private static int index(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("layer, block and expert numbers are not negative: " + value);
        }
        return value;
    }
}
