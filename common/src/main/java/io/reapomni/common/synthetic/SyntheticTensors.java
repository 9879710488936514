package io.reapomni.common.synthetic;

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
        String prefix = "thinker.audio_tower.";
        add(prefix + "conv2d1.weight", channels, 1, 3, 3);
        add(prefix + "conv2d1.bias", channels);
        for (String conv : List.of("conv2d2", "conv2d3")) {
            add(prefix + conv + ".weight", channels, channels, 3, 3);
            add(prefix + conv + ".bias", channels);
        }
        add(prefix + "conv_out.weight", width, channels * (SyntheticConfig.MEL_BINS / 8));
        for (int layer = 0; layer < spec.audioLayers(); layer++) {
            String layerPrefix = prefix + "layers." + layer + ".";
            layerNorm(layerPrefix + "self_attn_layer_norm", width);
            for (String projection : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                add(layerPrefix + "self_attn." + projection + ".weight", width, width);
                add(layerPrefix + "self_attn." + projection + ".bias", width);
            }
            layerNorm(layerPrefix + "final_layer_norm", width);
            add(layerPrefix + "fc1.weight", 2 * width, width);
            add(layerPrefix + "fc1.bias", 2 * width);
            add(layerPrefix + "fc2.weight", width, 2 * width);
            add(layerPrefix + "fc2.bias", width);
        }
        layerNorm(prefix + "ln_post", width);
        add(prefix + "proj1.weight", width, width);
        add(prefix + "proj1.bias", width);
        add(prefix + "proj2.weight", spec.hiddenSize(), width);
        add(prefix + "proj2.bias", spec.hiddenSize());
    }

    private void layerNorm(String prefix, int width) {
        add(prefix + ".weight", width);
        add(prefix + ".bias", width);
    }

    private void vision() {
        int width = spec.visionWidth();
        String prefix = "thinker.visual.";
        add(prefix + "patch_embed.proj.weight", width, 3, 2, 16, 16);
        add(prefix + "pos_embed.weight", 64, width);
        for (int block = 0; block < spec.visionDepth(); block++) {
            String blockPrefix = prefix + "blocks." + block + ".";
            add(blockPrefix + "attn.qkv.weight", 3 * width, width);
            add(blockPrefix + "mlp.linear_fc1.weight", 2 * width, width);
            add(blockPrefix + "mlp.linear_fc2.weight", width, 2 * width);
        }
        add(prefix + "merger.mlp.0.weight", 4 * width, 4 * width);
        add(prefix + "merger.mlp.2.weight", spec.hiddenSize(), 4 * width);
        for (int deepstack = 0; deepstack < spec.visionDepth(); deepstack++) {
            add(prefix + "merger_list." + deepstack + ".mlp.0.weight", 4 * width, 4 * width);
        }
    }

    private void thinkerText() {
        int hidden = spec.hiddenSize();
        add("thinker.model.embed_tokens.weight", spec.vocabSize(), hidden);
        for (int layer = 0; layer < spec.layers(); layer++) {
            String prefix = "thinker.model.layers." + layer + ".";
            attention(prefix, hidden, spec.attentionHeads(), spec.keyValueHeads(), spec.headDim());
            experts(prefix, spec.experts(), hidden, spec.moeIntermediateSize());
        }
        add("thinker.model.norm.weight", hidden);
        add("thinker.lm_head.weight", spec.vocabSize(), hidden);
    }

    private void talker() {
        int hidden = spec.talkerHiddenSize();
        for (int layer = 0; layer < spec.talkerLayers(); layer++) {
            String prefix = "talker.model.layers." + layer + ".";
            attention(prefix, hidden, 2, 1, hidden / 2);
            experts(prefix, spec.talkerExperts(), hidden, hidden / 2);
            add(prefix + "mlp.shared_expert.gate_proj.weight", hidden, hidden);
            add(prefix + "mlp.shared_expert.up_proj.weight", hidden, hidden);
            add(prefix + "mlp.shared_expert.down_proj.weight", hidden, hidden);
            add(prefix + "mlp.shared_expert_gate.weight", 1, hidden);
        }
        add("talker.model.norm.weight", hidden);
        add("talker.codec_head.weight", 64, hidden);
    }

    private void code2wav() {
        add("code2wav.code_embedding.weight", 64, 32);
        add("code2wav.pre_transformer.norm.weight", 32);
    }

    private void attention(String prefix, int hidden, int heads, int kvHeads, int headDim) {
        add(prefix + "input_layernorm.weight", hidden);
        add(prefix + "self_attn.q_proj.weight", (long) heads * headDim, hidden);
        add(prefix + "self_attn.k_proj.weight", (long) kvHeads * headDim, hidden);
        add(prefix + "self_attn.v_proj.weight", (long) kvHeads * headDim, hidden);
        add(prefix + "self_attn.o_proj.weight", hidden, (long) heads * headDim);
        add(prefix + "self_attn.q_norm.weight", headDim);
        add(prefix + "self_attn.k_norm.weight", headDim);
        add(prefix + "post_attention_layernorm.weight", hidden);
    }

    private void experts(String prefix, int experts, int hidden, int intermediate) {
        add(prefix + "mlp.gate.weight", experts, hidden);
        for (int expert = 0; expert < experts; expert++) {
            String expertPrefix = prefix + "mlp.experts." + expert + ".";
            add(expertPrefix + "gate_proj.weight", intermediate, hidden);
            add(expertPrefix + "up_proj.weight", intermediate, hidden);
            add(expertPrefix + "down_proj.weight", hidden, intermediate);
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
