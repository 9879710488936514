package io.reapomni.devtools.synthetic;

import io.reapomni.common.checkpoint.MoeStack;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioTowerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.DecoderModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.MergerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Module;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Projection;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionBlockModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.safetensors.DType;
import io.reapomni.common.safetensors.TensorSpec;

import java.util.ArrayList;
import java.util.List;

/** The tensor names and shapes of a Qwen3-Omni checkpoint of the given sizes, in module order. */
final class SyntheticTensors {
    private final SyntheticModelSpec spec;
    private final List<TensorSpec> tensors = new ArrayList<>();

    private SyntheticTensors(SyntheticModelSpec spec) {
        this.spec = spec;
    }

    static List<TensorSpec> of(SyntheticModelSpec spec) {
        SyntheticTensors builder = new SyntheticTensors(spec);
        builder.audioTower();
        builder.vision();
        builder.thinkerText();
        builder.talker();
        builder.code2wav();
        return List.copyOf(builder.tensors);
    }

    /**
     * Qwen3-Omni's audio encoder, complete, so that a synthetic model can encode audio: three stride-2 convolutions
     * of {@value SyntheticConfig#AUDIO_DOWNSAMPLE} channels over 128 mel bins, Whisper-style encoder layers, the post
     * norm and the two projections to the thinker's width.
     */
    private void audioTower() {
        int width = spec.audioWidth();
        int channels = SyntheticConfig.AUDIO_DOWNSAMPLE;
        withBias(Qwen3OmniLayout.audioTower(AudioTowerModule.CONV2D1), channels, 1, 3, 3);
        for (AudioTowerModule conv : List.of(AudioTowerModule.CONV2D2, AudioTowerModule.CONV2D3)) {
            withBias(Qwen3OmniLayout.audioTower(conv), channels, channels, 3, 3);
        }
        add(Qwen3OmniLayout.audioTower(AudioTowerModule.CONV_OUT).weight(), width,
                channels * (SyntheticConfig.MEL_BINS / 8));
        for (int layer = 0; layer < spec.audioLayers(); layer++) {
            withBias(Qwen3OmniLayout.audioLayer(layer, AudioLayerModule.SELF_ATTN_LAYER_NORM), width);
            for (AudioLayerModule projection : List.of(AudioLayerModule.Q_PROJ, AudioLayerModule.K_PROJ,
                    AudioLayerModule.V_PROJ, AudioLayerModule.OUT_PROJ)) {
                withBias(Qwen3OmniLayout.audioLayer(layer, projection), width, width);
            }
            withBias(Qwen3OmniLayout.audioLayer(layer, AudioLayerModule.FINAL_LAYER_NORM), width);
            withBias(Qwen3OmniLayout.audioLayer(layer, AudioLayerModule.FC1), 2 * width, width);
            withBias(Qwen3OmniLayout.audioLayer(layer, AudioLayerModule.FC2), width, 2 * width);
        }
        withBias(Qwen3OmniLayout.audioTower(AudioTowerModule.LN_POST), width);
        withBias(Qwen3OmniLayout.audioTower(AudioTowerModule.PROJ1), width, width);
        withBias(Qwen3OmniLayout.audioTower(AudioTowerModule.PROJ2), spec.hiddenSize(), width);
    }

    /** A module's weight of {@code shape} and its bias, one value per output row. */
    private void withBias(Module module, long... shape) {
        add(module.weight(), shape);
        add(module.bias(), shape[0]);
    }

    private void vision() {
        int width = spec.visionWidth();
        add(Qwen3OmniLayout.vision(VisionModule.PATCH_EMBED).weight(), width, 3, 2, 16, 16);
        add(Qwen3OmniLayout.vision(VisionModule.POS_EMBED).weight(), 64, width);
        for (int block = 0; block < spec.visionDepth(); block++) {
            add(Qwen3OmniLayout.visionBlock(block, VisionBlockModule.QKV).weight(), 3 * width, width);
            add(Qwen3OmniLayout.visionBlock(block, VisionBlockModule.FC1).weight(), 2 * width, width);
            add(Qwen3OmniLayout.visionBlock(block, VisionBlockModule.FC2).weight(), width, 2 * width);
        }
        add(Qwen3OmniLayout.merger(MergerModule.FC1).weight(), 4 * width, 4 * width);
        add(Qwen3OmniLayout.merger(MergerModule.FC2).weight(), spec.hiddenSize(), 4 * width);
        for (int deepstack = 0; deepstack < spec.visionDepth(); deepstack++) {
            add(Qwen3OmniLayout.deepstackMerger(deepstack, MergerModule.FC1).weight(), 4 * width, 4 * width);
        }
    }

    private void thinkerText() {
        int hidden = spec.hiddenSize();
        add(Qwen3OmniLayout.EMBED_TOKENS, spec.vocabSize(), hidden);
        for (int layer = 0; layer < spec.layers(); layer++) {
            attention(MoeStack.THINKER, layer, hidden, spec.attentionHeads(), spec.keyValueHeads(), spec.headDim());
            experts(MoeStack.THINKER, layer, spec.experts(), hidden, spec.moeIntermediateSize());
        }
        add(Qwen3OmniLayout.finalNorm(MoeStack.THINKER), hidden);
        add(Qwen3OmniLayout.LM_HEAD, spec.vocabSize(), hidden);
    }

    private void talker() {
        int hidden = spec.talkerHiddenSize();
        for (int layer = 0; layer < spec.talkerLayers(); layer++) {
            attention(MoeStack.TALKER, layer, hidden, 2, 1, hidden / 2);
            experts(MoeStack.TALKER, layer, spec.talkerExperts(), hidden, hidden / 2);
            for (Projection projection : Projection.values()) {
                add(Qwen3OmniLayout.sharedExpert(layer, projection), hidden, hidden);
            }
            add(Qwen3OmniLayout.sharedExpertGate(layer), 1, hidden);
        }
        add(Qwen3OmniLayout.finalNorm(MoeStack.TALKER), hidden);
        add(Qwen3OmniLayout.TALKER_CODEC_HEAD, 64, hidden);
    }

    private void code2wav() {
        add(Qwen3OmniLayout.CODE2WAV_CODE_EMBEDDING, 64, 32);
        add(Qwen3OmniLayout.CODE2WAV_PRE_TRANSFORMER_NORM, 32);
    }

    private void attention(MoeStack stack, int layer, int hidden, int heads, int kvHeads, int headDim) {
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.INPUT_NORM).weight(), hidden);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.Q_PROJ).weight(), (long) heads * headDim, hidden);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.K_PROJ).weight(), (long) kvHeads * headDim, hidden);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.V_PROJ).weight(), (long) kvHeads * headDim, hidden);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.O_PROJ).weight(), hidden, (long) heads * headDim);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.Q_NORM).weight(), headDim);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.K_NORM).weight(), headDim);
        add(Qwen3OmniLayout.decoder(stack, layer, DecoderModule.POST_ATTENTION_NORM).weight(), hidden);
    }

    private void experts(MoeStack stack, int layer, int experts, int hidden, int intermediate) {
        add(Qwen3OmniLayout.router(stack, layer), experts, hidden);
        for (int expert = 0; expert < experts; expert++) {
            add(Qwen3OmniLayout.expert(stack, layer, expert, Projection.GATE), intermediate, hidden);
            add(Qwen3OmniLayout.expert(stack, layer, expert, Projection.UP), intermediate, hidden);
            add(Qwen3OmniLayout.expert(stack, layer, expert, Projection.DOWN), hidden, intermediate);
        }
    }

    private void add(String name, long... shape) {
        List<Long> dims = new ArrayList<>();
        for (long dim : shape) {
            dims.add(dim);
        }
        tensors.add(new TensorSpec(name, DType.BF16, dims));
    }
}
