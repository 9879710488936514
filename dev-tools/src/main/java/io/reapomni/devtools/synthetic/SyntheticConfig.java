package io.reapomni.devtools.synthetic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reapomni.common.checkpoint.ModelConfig;

import java.util.List;

/** The config.json of a synthetic checkpoint, in the transformers-5 style, matching its tensors. */
final class SyntheticConfig {
    /**
     * The full model's special tokens; a synthetic model's vocabulary is smaller, so they take its last ids, in this
     * order (the tokenizer, when there is one, names them the same).
     */
    static final List<String> SPECIAL_TOKENS = List.of("<|im_start|>", "<|im_end|>", "<|endoftext|>",
            "<|vision_start|>", "<|vision_end|>", "<|video_pad|>", "<|image_pad|>", "<|audio_end|>",
            "<|audio_start|>", "<|audio_pad|>");
    static final int MEL_BINS = 128;
    static final int AUDIO_DOWNSAMPLE = 8;

    private SyntheticConfig() {
    }

    /** The id of special token {@code content} in a vocabulary of {@code vocabSize}. */
    static int specialTokenId(int vocabSize, String content) {
        int index = SPECIAL_TOKENS.indexOf(content);
        if (index < 0) {
            throw new IllegalArgumentException(content + " is no special token of a synthetic model");
        }
        return vocabSize - SPECIAL_TOKENS.size() + index;
    }

    static ObjectNode of(SyntheticModelSpec spec) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.putArray("architectures").add("Qwen3OmniMoeForConditionalGeneration");
        root.put("model_type", ModelConfig.MODEL_TYPE);
        root.put("enable_audio_output", spec.talkerLayers() > 0);

        ObjectNode thinker = root.putObject("thinker_config");
        int vocab = spec.vocabSize();
        thinker.put("audio_token_id", specialTokenId(vocab, "<|audio_pad|>"));
        thinker.put("audio_start_token_id", specialTokenId(vocab, "<|audio_start|>"));
        thinker.put("image_token_id", specialTokenId(vocab, "<|image_pad|>"));
        thinker.put("video_token_id", specialTokenId(vocab, "<|video_pad|>"));
        thinker.put("vision_start_token_id", specialTokenId(vocab, "<|vision_start|>"));
        thinker.put("vision_end_token_id", specialTokenId(vocab, "<|vision_end|>"));
        thinker.put("position_id_per_seconds", 25);
        ObjectNode audio = thinker.putObject("audio_config");
        audio.put("d_model", spec.audioWidth());
        audio.put("encoder_layers", spec.audioLayers());
        audio.put("encoder_attention_heads", audioHeads(spec.audioWidth()));
        audio.put("encoder_ffn_dim", 2 * spec.audioWidth());
        audio.put("downsample_hidden_size", AUDIO_DOWNSAMPLE);
        audio.put("num_mel_bins", MEL_BINS);
        audio.put("n_window", 50);
        audio.put("n_window_infer", 800);
        audio.put("output_dim", spec.hiddenSize());
        ObjectNode vision = thinker.putObject("vision_config");
        vision.put("depth", spec.visionDepth());
        vision.put("hidden_size", spec.visionWidth());
        // heads of 16 dimensions, a multiple of 4 as the vision rotary embedding needs
        vision.put("num_heads", Math.max(1, spec.visionWidth() / 16));
        vision.put("out_hidden_size", spec.hiddenSize());
        vision.putArray("deepstack_visual_indexes").addAll(java.util.stream.IntStream.range(0, spec.visionDepth())
                .mapToObj(json::numberNode).toList());
        ObjectNode text = thinker.putObject("text_config");
        text.put("model_type", "qwen3_omni_moe_text");
        text.put("vocab_size", spec.vocabSize());
        text.put("hidden_size", spec.hiddenSize());
        text.put("num_hidden_layers", spec.layers());
        text.put("num_attention_heads", spec.attentionHeads());
        text.put("num_key_value_heads", spec.keyValueHeads());
        text.put("head_dim", spec.headDim());
        text.put("moe_intermediate_size", spec.moeIntermediateSize());
        text.put("num_experts", spec.experts());
        text.put("num_experts_per_tok", spec.expertsPerToken());
        text.put("norm_topk_prob", true);
        text.put("decoder_sparse_step", 1);
        text.putArray("mlp_only_layers");
        text.put("rms_norm_eps", 1e-6);
        ObjectNode rope = text.putObject("rope_parameters");
        rope.put("rope_type", "default");
        rope.put("rope_theta", 1_000_000.0);
        rope.putArray("mrope_section").add(spec.headDim() / 4).add(spec.headDim() / 8).add(spec.headDim() / 8);
        rope.put("interleaved", true);

        ObjectNode talker = root.putObject("talker_config");
        talker.put("accept_hidden_layer", Math.min(spec.layers(), Math.max(1, spec.layers() / 2)));
        talker.put("thinker_hidden_size", spec.hiddenSize());
        ObjectNode talkerText = talker.putObject("text_config");
        talkerText.put("hidden_size", spec.talkerHiddenSize());
        talkerText.put("num_hidden_layers", Math.max(spec.talkerLayers(), 1));
        talkerText.put("num_attention_heads", 2);
        talkerText.put("num_key_value_heads", 1);
        talkerText.put("head_dim", spec.talkerHiddenSize() / 2);
        talkerText.put("num_local_experts", spec.talkerExperts());
        talkerText.put("num_experts_per_tok", Math.min(2, spec.talkerExperts()));
        talkerText.put("moe_intermediate_size", spec.talkerHiddenSize() / 2);
        talkerText.put("shared_expert_intermediate_size", spec.talkerHiddenSize());
        talkerText.putArray("mlp_only_layers");
        root.putObject("code2wav_config").put("hidden_size", 32);
        return root;
    }

    /** Four heads where the width allows, as the fixture's audio encoder has. */
    private static int audioHeads(int width) {
        return width % 4 == 0 ? 4 : width % 2 == 0 ? 2 : 1;
    }
}
