package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.calibration.model.DeviceWeights;
import io.reapomni.calibration.model.LayerNorm;
import io.reapomni.calibration.model.Linear;
import io.reapomni.calibration.weights.WeightStager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds the vision tower from {@code thinker.visual.*} tensors. */
public final class VisionTowerLoader {
    private static final String PREFIX = "thinker.visual.";
    /** transformers builds every layer norm of the vision tower with this epsilon. */
    private static final float NORM_EPS = 1e-6f;

    private final DeviceWeights weights;
    private final VisionConfig config;

    public VisionTowerLoader(WeightStager stager, VisionConfig config, ComputePrecision precision) {
        this.weights = new DeviceWeights(stager, precision);
        this.config = config;
    }

    public VisionConfig config() {
        return config;
    }

    public VisionTower load(NDManager manager) throws IOException {
        List<VisionBlock> blocks = new ArrayList<>(config.depth());
        for (int i = 0; i < config.depth(); i++) {
            String prefix = PREFIX + "blocks." + i + ".";
            blocks.add(new VisionBlock(layerNorm(manager, prefix + "norm1"), linear(manager, prefix + "attn.qkv"),
                    linear(manager, prefix + "attn.proj"), config.heads(), layerNorm(manager, prefix + "norm2"),
                    linear(manager, prefix + "mlp.linear_fc1"), linear(manager, prefix + "mlp.linear_fc2")));
        }
        List<PatchMerger> deepstack = new ArrayList<>();
        for (int i = 0; i < config.deepstackVisualIndexes().size(); i++) {
            deepstack.add(merger(manager, PREFIX + "merger_list." + i + ".", true));
        }
        // the Conv3d's kernel covers a whole patch with stride equal to it: a linear map of the flattened patch
        NDArray kernel = weights.matrix(manager, PREFIX + "patch_embed.proj.weight");
        Linear patchEmbedding = Linear.of(kernel.reshape(config.hiddenSize(), config.patchValues()),
                weights.vector(manager, PREFIX + "patch_embed.proj.bias"));
        return new VisionTower(config, patchEmbedding, weights.vector(manager, PREFIX + "pos_embed.weight"), blocks,
                merger(manager, PREFIX + "merger.", false), deepstack);
    }

    private PatchMerger merger(NDManager manager, String prefix, boolean normAfterConcatenation) throws IOException {
        int mergeUnit = config.spatialMergeSize() * config.spatialMergeSize();
        return new PatchMerger(layerNorm(manager, prefix + "ln_q"), normAfterConcatenation,
                linear(manager, prefix + "mlp.0"), linear(manager, prefix + "mlp.2"), mergeUnit);
    }

    private Linear linear(NDManager manager, String prefix) throws IOException {
        return Linear.of(weights.matrix(manager, prefix + ".weight"), weights.vector(manager, prefix + ".bias"));
    }

    private LayerNorm layerNorm(NDManager manager, String prefix) throws IOException {
        return new LayerNorm(weights.vector(manager, prefix + ".weight"), weights.vector(manager, prefix + ".bias"),
                NORM_EPS);
    }
}
