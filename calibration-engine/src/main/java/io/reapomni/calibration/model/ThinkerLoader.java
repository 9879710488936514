package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.weights.WeightSource;
import io.reapomni.common.checkpoint.StackConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the thinker's parts from checkpoint tensors, by the names transformers gives them. Each part's arrays
 * belong to the manager passed in, so that closing it frees exactly that part.
 */
public final class ThinkerLoader {
    private static final String MODEL = "thinker.model.";
    private static final String EMBED_TOKENS = MODEL + "embed_tokens.weight";

    private final WeightSource source;
    private final DeviceWeights weights;
    private final StackConfig config;

    public ThinkerLoader(WeightSource source, StackConfig config, ComputePrecision precision) {
        this.source = source;
        this.weights = new DeviceWeights(source, precision);
        this.config = config;
    }

    public StackConfig config() {
        return config;
    }

    /** The token embedding table, whose rows are read from the checkpoint as a run asks for them. */
    public TokenEmbedding embedding() throws IOException {
        long[] shape = source.shape(EMBED_TOKENS);
        if (shape.length != 2 || shape[1] != config.hiddenSize()) {
            throw new IOException(EMBED_TOKENS + " has shape " + Arrays.toString(shape) + ", expected [vocab, "
                    + config.hiddenSize() + "]");
        }
        return new TokenEmbedding(source, EMBED_TOKENS, Math.toIntExact(shape[0]));
    }

    /** The rotary tables of a sample with these positions, for every layer of this stack. */
    public RotaryEmbedding rope(NDManager manager, PositionIds positions) {
        return MultimodalRope.create(manager, positions, config.headDim(), config.rope());
    }

    public DecoderLayer layer(NDManager manager, int index) throws IOException {
        String prefix = MODEL + "layers." + index + ".";
        float eps = (float) config.rmsNormEps();
        CausalSelfAttention attention = new CausalSelfAttention(
                linear(manager, prefix + "self_attn.q_proj"),
                linear(manager, prefix + "self_attn.k_proj"),
                linear(manager, prefix + "self_attn.v_proj"),
                linear(manager, prefix + "self_attn.o_proj"),
                new RmsNorm(weights.vector(manager, prefix + "self_attn.q_norm.weight"), eps),
                new RmsNorm(weights.vector(manager, prefix + "self_attn.k_norm.weight"), eps),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim());
        return new DecoderLayer(index,
                new RmsNorm(weights.vector(manager, prefix + "input_layernorm.weight"), eps),
                attention,
                new RmsNorm(weights.vector(manager, prefix + "post_attention_layernorm.weight"), eps),
                feedForward(manager, index, prefix + "mlp."));
    }

    /** The final norm and the language-model head. */
    public ThinkerHead head(NDManager manager) throws IOException {
        return new ThinkerHead(
                new RmsNorm(weights.vector(manager, MODEL + "norm.weight"), (float) config.rmsNormEps()),
                Linear.of(weights.matrix(manager, "thinker.lm_head.weight")));
    }

    private FeedForward feedForward(NDManager manager, int index, String prefix) throws IOException {
        if (!config.isMoeLayer(index)) {
            return new DenseFeedForward(gatedMlp(manager, prefix));
        }
        List<GatedMlp> experts = new ArrayList<>(config.numExperts());
        for (int expert = 0; expert < config.numExperts(); expert++) {
            experts.add(gatedMlp(manager, prefix + "experts." + expert + "."));
        }
        return new MoeBlock(linear(manager, prefix + "gate"), experts, config.numExpertsPerTok(),
                config.normTopkProb());
    }

    private GatedMlp gatedMlp(NDManager manager, String prefix) throws IOException {
        return new GatedMlp(linear(manager, prefix + "gate_proj"), linear(manager, prefix + "up_proj"),
                linear(manager, prefix + "down_proj"));
    }

    /** A projection with its bias when the checkpoint has one (attention_bias configs). */
    private Linear linear(NDManager manager, String prefix) throws IOException {
        NDArray weight = weights.matrix(manager, prefix + ".weight");
        if (weights.has(prefix + ".bias")) {
            return Linear.of(weight, weights.vector(manager, prefix + ".bias"));
        }
        return Linear.of(weight);
    }
}
