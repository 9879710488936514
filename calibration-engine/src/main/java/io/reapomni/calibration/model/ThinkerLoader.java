package io.reapomni.calibration.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.weights.DeviceTensors;
import io.reapomni.calibration.weights.StagedWeights;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.StackConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the thinker's parts from checkpoint tensors, by the names transformers gives them. A decoder layer is
 * staged as one set of tensor groups ({@link #layerGroups}), so that its weights are read in a few large spans and
 * reach the device in a few transfers; matrices in the compute precision, norms and the router in float32 (routing
 * decides which experts are computed at all, so it stays exact).
 */
public final class ThinkerLoader {
    private static final String MODEL = "thinker.model.";
    private static final String EMBED_TOKENS = MODEL + "embed_tokens.weight";
    private static final String GATE_UP = "gate_up_proj";

    private final WeightStager stager;
    private final DeviceWeights weights;
    private final StackConfig config;
    private final ComputePrecision precision;

    public ThinkerLoader(WeightStager stager, StackConfig config, ComputePrecision precision) {
        this.stager = stager;
        this.weights = new DeviceWeights(stager, precision);
        this.config = config;
        this.precision = precision;
    }

    public StackConfig config() {
        return config;
    }

    /** The token embedding table, whose rows are read from the checkpoint as a run asks for them. */
    public TokenEmbedding embedding() throws IOException {
        long[] shape = stager.source().shape(EMBED_TOKENS);
        if (shape.length != 2 || shape[1] != config.hiddenSize()) {
            throw new IOException(EMBED_TOKENS + " has shape " + Arrays.toString(shape) + ", expected [vocab, "
                    + config.hiddenSize() + "]");
        }
        return new TokenEmbedding(stager.source(), EMBED_TOKENS, Math.toIntExact(shape[0]));
    }

    /**
     * The rotary tables of a sample with these positions, for every layer of this stack: [T, 1, headDim], so that
     * they broadcast over the heads of [T, heads, headDim] queries and keys, and samples concatenate into a stream.
     */
    public RotaryEmbedding rope(NDManager manager, PositionIds positions) {
        RotaryEmbedding tables = MultimodalRope.create(manager, positions, config.headDim(), config.rope());
        long length = positions.length();
        return new RotaryEmbedding(tables.cos().reshape(length, 1, config.headDim()),
                tables.sin().reshape(length, 1, config.headDim()));
    }

    /** Every tensor group decoder layer {@code index} is built from. */
    public List<TensorGroup> layerGroups(int index) throws IOException {
        String prefix = layerPrefix(index);
        List<TensorGroup> groups = new ArrayList<>();
        for (String projection : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
            addLinear(groups, prefix + "self_attn." + projection);
        }
        for (String norm : List.of("self_attn.q_norm", "self_attn.k_norm", "input_layernorm",
                "post_attention_layernorm")) {
            groups.add(TensorGroup.of(prefix + norm + ".weight", DataType.FLOAT32));
        }
        String mlp = prefix + "mlp.";
        if (!config.isMoeLayer(index)) {
            groups.add(gateUp(mlp));
            groups.add(TensorGroup.of(mlp + "down_proj.weight", precision.dataType()));
            return groups;
        }
        groups.add(TensorGroup.of(mlp + "gate.weight", DataType.FLOAT32));
        for (int expert = 0; expert < config.numExperts(); expert++) {
            String expertPrefix = mlp + "experts." + expert + ".";
            groups.add(gateUp(expertPrefix));
            groups.add(TensorGroup.of(expertPrefix + "down_proj.weight", precision.dataType()));
        }
        return groups;
    }

    /** Decoder layer {@code index} from its staged groups, placed on a device. */
    public DecoderLayer layer(DeviceTensors tensors, int index) {
        String prefix = layerPrefix(index);
        float eps = (float) config.rmsNormEps();
        CausalSelfAttention attention = new CausalSelfAttention(
                linear(tensors, prefix + "self_attn.q_proj"),
                linear(tensors, prefix + "self_attn.k_proj"),
                linear(tensors, prefix + "self_attn.v_proj"),
                linear(tensors, prefix + "self_attn.o_proj"),
                new RmsNorm(tensors.get(prefix + "self_attn.q_norm.weight"), eps),
                new RmsNorm(tensors.get(prefix + "self_attn.k_norm.weight"), eps),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim());
        return new DecoderLayer(index,
                new RmsNorm(tensors.get(prefix + "input_layernorm.weight"), eps),
                attention,
                new RmsNorm(tensors.get(prefix + "post_attention_layernorm.weight"), eps),
                feedForward(tensors, index, prefix + "mlp."));
    }

    /** Stages and places decoder layer {@code index} at once, owned by {@code manager}: for tests and one-offs. */
    public DecoderLayer layer(NDManager manager, int index) throws IOException {
        try (StagedWeights staged = stager.stage(layerGroups(index))) {
            return layer(staged.place(manager).tensors(), index);
        }
    }

    /** The final norm and the language-model head. */
    public ThinkerHead head(NDManager manager) throws IOException {
        return new ThinkerHead(
                new RmsNorm(weights.vector(manager, MODEL + "norm.weight"), (float) config.rmsNormEps()),
                Linear.of(weights.matrix(manager, "thinker.lm_head.weight")));
    }

    private FeedForward feedForward(DeviceTensors tensors, int index, String prefix) {
        if (!config.isMoeLayer(index)) {
            return new DenseFeedForward(gatedMlp(tensors, prefix));
        }
        List<GatedMlp> experts = new ArrayList<>(config.numExperts());
        for (int expert = 0; expert < config.numExperts(); expert++) {
            experts.add(gatedMlp(tensors, prefix + "experts." + expert + "."));
        }
        return new MoeBlock(tensors.get(prefix + "gate.weight"), experts, config.numExpertsPerTok(),
                config.normTopkProb(), MoeBlock.chunkTokensFor(config.hiddenSize(), config.numExpertsPerTok()));
    }

    private static GatedMlp gatedMlp(DeviceTensors tensors, String prefix) {
        return new GatedMlp(tensors.get(prefix + GATE_UP), tensors.get(prefix + "down_proj.weight"));
    }

    private TensorGroup gateUp(String prefix) {
        return new TensorGroup(prefix + GATE_UP, List.of(prefix + "gate_proj.weight", prefix + "up_proj.weight"),
                precision.dataType());
    }

    /** A projection's weight, and its bias when the checkpoint has one (attention_bias configs). */
    private void addLinear(List<TensorGroup> groups, String prefix) {
        groups.add(TensorGroup.of(prefix + ".weight", precision.dataType()));
        if (stager.source().has(prefix + ".bias")) {
            groups.add(TensorGroup.of(prefix + ".bias", DataType.FLOAT32));
        }
    }

    private static Linear linear(DeviceTensors tensors, String prefix) {
        return new Linear(tensors.get(prefix + ".weight"), tensors.find(prefix + ".bias"));
    }

    private static String layerPrefix(int index) {
        return MODEL + "layers." + index + ".";
    }
}
