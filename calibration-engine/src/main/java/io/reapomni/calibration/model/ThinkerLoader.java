package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.reapomni.calibration.weights.DeviceTensors;
import io.reapomni.calibration.weights.StagedWeights;
import io.reapomni.calibration.weights.TensorGroup;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Projection;
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
    private static final MoeStack THINKER = MoeStack.THINKER;
    private static final String EMBED_TOKENS = Qwen3OmniLayout.EMBED_TOKENS;
    private static final List<DecoderModule> PROJECTIONS = List.of(DecoderModule.Q_PROJ, DecoderModule.K_PROJ,
            DecoderModule.V_PROJ, DecoderModule.O_PROJ);
    private static final List<DecoderModule> NORMS = List.of(DecoderModule.Q_NORM, DecoderModule.K_NORM,
            DecoderModule.INPUT_NORM, DecoderModule.POST_ATTENTION_NORM);

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
        List<TensorGroup> groups = new ArrayList<>();
        for (DecoderModule projection : PROJECTIONS) {
            addLinear(groups, Qwen3OmniLayout.decoder(THINKER, index, projection));
        }
        for (DecoderModule norm : NORMS) {
            groups.add(TensorGroup.of(Qwen3OmniLayout.decoder(THINKER, index, norm).weight(), DataType.FLOAT32));
        }
        if (!config.isMoeLayer(index)) {
            groups.add(gateUp(Qwen3OmniLayout.denseMlp(THINKER, index, Projection.GATE),
                    Qwen3OmniLayout.denseMlp(THINKER, index, Projection.UP)));
            groups.add(TensorGroup.of(Qwen3OmniLayout.denseMlp(THINKER, index, Projection.DOWN), precision.dataType()));
            return groups;
        }
        groups.add(TensorGroup.of(Qwen3OmniLayout.router(THINKER, index), DataType.FLOAT32));
        // every expert's gate and up, then every expert's down, each one group: [experts × 2I, H] and [experts × H, I]
        List<String> gateUps = new ArrayList<>();
        List<String> downs = new ArrayList<>();
        for (int expert = 0; expert < config.numExperts(); expert++) {
            gateUps.add(Qwen3OmniLayout.expert(THINKER, index, expert, Projection.GATE));
            gateUps.add(Qwen3OmniLayout.expert(THINKER, index, expert, Projection.UP));
            downs.add(Qwen3OmniLayout.expert(THINKER, index, expert, Projection.DOWN));
        }
        groups.add(new TensorGroup(gateUps.get(0), gateUps, precision.dataType()));
        groups.add(new TensorGroup(downs.get(0), downs, precision.dataType()));
        return groups;
    }

    /** Decoder layer {@code index} from its staged groups, placed on a device. */
    public DecoderLayer layer(DeviceTensors tensors, int index) {
        float eps = (float) config.rmsNormEps();
        CausalSelfAttention attention = new CausalSelfAttention(
                linear(tensors, Qwen3OmniLayout.decoder(THINKER, index, DecoderModule.Q_PROJ)),
                linear(tensors, Qwen3OmniLayout.decoder(THINKER, index, DecoderModule.K_PROJ)),
                linear(tensors, Qwen3OmniLayout.decoder(THINKER, index, DecoderModule.V_PROJ)),
                linear(tensors, Qwen3OmniLayout.decoder(THINKER, index, DecoderModule.O_PROJ)),
                rmsNorm(tensors, index, DecoderModule.Q_NORM, eps),
                rmsNorm(tensors, index, DecoderModule.K_NORM, eps),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim());
        return new DecoderLayer(index,
                rmsNorm(tensors, index, DecoderModule.INPUT_NORM, eps),
                attention,
                rmsNorm(tensors, index, DecoderModule.POST_ATTENTION_NORM, eps),
                feedForward(tensors, index));
    }

    /** Stages and places decoder layer {@code index} at once, owned by {@code manager}: for tests and one-offs. */
    public DecoderLayer layer(NDManager manager, int index) throws IOException {
        try (StagedWeights staged = stager.stage(layerGroups(index))) {
            return layer(staged.place(manager).tensors(), index);
        }
    }

    /**
     * The final norm and the language-model head on {@code manager}'s device, owned by it, both in float32 whatever
     * the compute precision: the logits are what a quality comparison measures, float16 cannot hold every logit a
     * bf16 head gives (an overflow would turn a distribution into NaN), and in float32 the head loses nothing.
     */
    public ThinkerHead head(NDManager manager) throws IOException {
        DeviceWeights.Placement placement = weights.onto(manager);
        return new ThinkerHead(
                new RmsNorm(placement.float32(Qwen3OmniLayout.finalNorm(THINKER)), (float) config.rmsNormEps()),
                Linear.of(placement.float32(Qwen3OmniLayout.LM_HEAD)));
    }

    private FeedForward feedForward(DeviceTensors tensors, int index) {
        if (!config.isMoeLayer(index)) {
            return new DenseFeedForward(gatedMlp(tensors, Qwen3OmniLayout.denseMlp(THINKER, index, Projection.GATE),
                    Qwen3OmniLayout.denseMlp(THINKER, index, Projection.DOWN)));
        }
        int experts = config.numExperts();
        NDArray gateUps = tensors.get(Qwen3OmniLayout.expert(THINKER, index, 0, Projection.GATE));
        NDArray downs = tensors.get(Qwen3OmniLayout.expert(THINKER, index, 0, Projection.DOWN));
        NDArray router = tensors.get(Qwen3OmniLayout.router(THINKER, index));
        return new MoeBlock(router, gateUps.reshape(experts, -1, gateUps.getShape().get(1)),
                downs.reshape(experts, -1, downs.getShape().get(1)), config.numExpertsPerTok(), config.normTopkProb(),
                MoeDispatch.forShape(config.hiddenSize(), config.numExpertsPerTok(), precision.dataType(),
                        router.getDevice()));
    }

    /** An MLP from its staged {@link #gateUp} group, found by the gate projection's name, and its down projection. */
    private static GatedMlp gatedMlp(DeviceTensors tensors, String gate, String down) {
        return new GatedMlp(tensors.get(gate), tensors.get(down));
    }

    /** The gate and up projections stacked into one matrix, found on the device by the gate projection's name. */
    private TensorGroup gateUp(String gate, String up) {
        return new TensorGroup(gate, List.of(gate, up), precision.dataType());
    }

    /** A projection's weight, and its bias when the checkpoint has one (attention_bias configs). */
    private void addLinear(List<TensorGroup> groups, Qwen3OmniLayout.Module module) {
        groups.add(TensorGroup.of(module.weight(), precision.dataType()));
        if (stager.source().has(module.bias())) {
            groups.add(TensorGroup.of(module.bias(), DataType.FLOAT32));
        }
    }

    private static Linear linear(DeviceTensors tensors, Qwen3OmniLayout.Module module) {
        return new Linear(tensors.get(module.weight()), tensors.find(module.bias()));
    }

    private static RmsNorm rmsNorm(DeviceTensors tensors, int index, DecoderModule norm, float eps) {
        return new RmsNorm(tensors.get(Qwen3OmniLayout.decoder(THINKER, index, norm).weight()), eps);
    }
}
