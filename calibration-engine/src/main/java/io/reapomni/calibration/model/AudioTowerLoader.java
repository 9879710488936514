package io.reapomni.calibration.model;

import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.CheckpointException;
import io.reapomni.common.checkpoint.ModelConfig;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioLayerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.AudioTowerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Module;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds the audio tower from {@code thinker.audio_tower.*} tensors and {@code thinker_config.audio_config}. */
public final class AudioTowerLoader {
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

    /** The tower on {@code manager}'s device, owned by it, and what converting its weights could not keep. */
    public Loaded<AudioTower> load(NDManager manager) throws IOException {
        int layerCount = config.at(CONFIG + "encoder_layers").asInt(32);
        int heads = config.at(CONFIG + "encoder_attention_heads").asInt(20);
        if (layerCount <= 0 || heads <= 0) {
            throw new CheckpointException("audio_config: encoder_layers and encoder_attention_heads must be positive");
        }
        DeviceWeights.Placement placement = weights.onto(manager);
        List<AudioEncoderLayer> layers = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            layers.add(new AudioEncoderLayer(
                    layerNorm(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.SELF_ATTN_LAYER_NORM)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.Q_PROJ)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.K_PROJ)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.V_PROJ)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.OUT_PROJ)),
                    heads,
                    layerNorm(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.FINAL_LAYER_NORM)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.FC1)),
                    linear(placement, Qwen3OmniLayout.audioLayer(i, AudioLayerModule.FC2))));
        }
        return placement.loaded(new AudioTower(conv(placement, AudioTowerModule.CONV2D1),
                conv(placement, AudioTowerModule.CONV2D2), conv(placement, AudioTowerModule.CONV2D3),
                Linear.of(placement.matrix(Qwen3OmniLayout.audioTower(AudioTowerModule.CONV_OUT).weight())),
                layers,
                layerNorm(placement, Qwen3OmniLayout.audioTower(AudioTowerModule.LN_POST)),
                linear(placement, Qwen3OmniLayout.audioTower(AudioTowerModule.PROJ1)),
                linear(placement, Qwen3OmniLayout.audioTower(AudioTowerModule.PROJ2)),
                nWindow(),
                config.at(CONFIG + "n_window_infer").asInt(400)));
    }

    private static Conv2d conv(DeviceWeights.Placement placement, AudioTowerModule conv) throws IOException {
        Module module = Qwen3OmniLayout.audioTower(conv);
        return new Conv2d(placement.matrix(module.weight()), placement.float32(module.bias()));
    }

    private static Linear linear(DeviceWeights.Placement placement, Module module) throws IOException {
        return Linear.of(placement.matrix(module.weight()), placement.float32(module.bias()));
    }

    private static LayerNorm layerNorm(DeviceWeights.Placement placement, Module module) throws IOException {
        return new LayerNorm(placement.float32(module.weight()), placement.float32(module.bias()),
                LayerNorm.TORCH_DEFAULT_EPS);
    }
}
