package io.reapomni.calibration.model;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds the audio tower from {@code thinker.audio_tower.*} tensors and {@code thinker_config.audio_config}. */
public final class AudioTowerLoader {
    private static final String PREFIX = "thinker.audio_tower.";
    private static final String CONFIG = "/thinker_config/audio_config/";

    private final DeviceWeights weights;
    private final ModelConfig config;

    public AudioTowerLoader(WeightStager stager, ModelConfig config, ComputePrecision precision) {
        this.weights = new DeviceWeights(stager, precision);
        this.config = config;
    }

    /** transformers' default where the config omits the key. */
    private int nWindow() {
        return config.at(CONFIG + "n_window").asInt(100);
    }

    public AudioTower load(NDManager manager) throws IOException {
        int layerCount = config.at(CONFIG + "encoder_layers").asInt(32);
        int heads = config.at(CONFIG + "encoder_attention_heads").asInt(20);
        if (layerCount <= 0 || heads <= 0) {
            throw new CheckpointException("audio_config: encoder_layers and encoder_attention_heads must be positive");
        }
        List<AudioEncoderLayer> layers = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            String prefix = PREFIX + "layers." + i + ".";
            layers.add(new AudioEncoderLayer(
                    layerNorm(manager, prefix + "self_attn_layer_norm"),
                    linear(manager, prefix + "self_attn.q_proj"),
                    linear(manager, prefix + "self_attn.k_proj"),
                    linear(manager, prefix + "self_attn.v_proj"),
                    linear(manager, prefix + "self_attn.out_proj"),
                    heads,
                    layerNorm(manager, prefix + "final_layer_norm"),
                    linear(manager, prefix + "fc1"),
                    linear(manager, prefix + "fc2")));
        }
        return new AudioTower(conv(manager, "conv2d1"), conv(manager, "conv2d2"), conv(manager, "conv2d3"),
                Linear.of(weights.matrix(manager, PREFIX + "conv_out.weight")),
                layers,
                layerNorm(manager, PREFIX + "ln_post"),
                linear(manager, PREFIX + "proj1"),
                linear(manager, PREFIX + "proj2"),
                nWindow(),
                config.at(CONFIG + "n_window_infer").asInt(400));
    }

    private Conv2d conv(NDManager manager, String name) throws IOException {
        return new Conv2d(weights.matrix(manager, PREFIX + name + ".weight"),
                weights.vector(manager, PREFIX + name + ".bias"));
    }

    private Linear linear(NDManager manager, String prefix) throws IOException {
        return Linear.of(weights.matrix(manager, prefix + ".weight"), weights.vector(manager, prefix + ".bias"));
    }

    private LayerNorm layerNorm(NDManager manager, String prefix) throws IOException {
        return new LayerNorm(weights.vector(manager, prefix + ".weight"), weights.vector(manager, prefix + ".bias"),
                LayerNorm.TORCH_DEFAULT_EPS);
    }
}
