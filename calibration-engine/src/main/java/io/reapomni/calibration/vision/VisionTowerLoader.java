package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.reapomni.calibration.model.ComputePrecision;
import io.reapomni.calibration.model.DeviceWeights;
import io.reapomni.calibration.model.LayerNorm;
import io.reapomni.calibration.model.Loaded;
import io.reapomni.calibration.model.Linear;
import io.reapomni.calibration.weights.WeightStager;
import io.reapomni.common.checkpoint.Qwen3OmniLayout;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.MergerModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.Module;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionBlockModule;
import io.reapomni.common.checkpoint.Qwen3OmniLayout.VisionModule;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Builds the vision tower from {@code thinker.visual.*} tensors. */
public final class VisionTowerLoader {
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

    /** The tower on {@code manager}'s device, owned by it, and what converting its weights could not keep. */
    public Loaded<VisionTower> load(NDManager manager) throws IOException {
        DeviceWeights.Placement placement = weights.onto(manager);
        List<VisionBlock> blocks = new ArrayList<>(config.depth());
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(new VisionBlock(layerNorm(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.NORM1)),
                    linear(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.QKV)),
                    linear(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.PROJ)), config.heads(),
                    layerNorm(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.NORM2)),
                    linear(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.FC1)),
                    linear(placement, Qwen3OmniLayout.visionBlock(i, VisionBlockModule.FC2))));
        }
        List<PatchMerger> deepstack = new ArrayList<>();
        for (int i = 0; i < config.deepstackVisualIndexes().size(); i++) {
            int index = i;
            deepstack.add(merger(placement, module -> Qwen3OmniLayout.deepstackMerger(index, module), true));
        }
        // the Conv3d's kernel covers a whole patch with stride equal to it: a linear map of the flattened patch
        Module patchEmbed = Qwen3OmniLayout.vision(VisionModule.PATCH_EMBED);
        NDArray kernel = placement.matrix(patchEmbed.weight());
        Linear patchEmbedding = Linear.of(kernel.reshape(config.hiddenSize(), config.patchValues()),
                placement.float32(patchEmbed.bias()));
        return placement.loaded(new VisionTower(config, patchEmbedding,
                placement.float32(Qwen3OmniLayout.vision(VisionModule.POS_EMBED).weight()), blocks,
                merger(placement, Qwen3OmniLayout::merger, false), deepstack));
    }

    private PatchMerger merger(DeviceWeights.Placement placement, Function<MergerModule, Module> modules,
                               boolean normAfterConcatenation) throws IOException {
        int mergeUnit = config.spatialMergeSize() * config.spatialMergeSize();
        return new PatchMerger(layerNorm(placement, modules.apply(MergerModule.LN_Q)), normAfterConcatenation,
                linear(placement, modules.apply(MergerModule.FC1)), linear(placement, modules.apply(MergerModule.FC2)),
                mergeUnit);
    }

    private static Linear linear(DeviceWeights.Placement placement, Module module) throws IOException {
        return Linear.of(placement.matrix(module.weight()), placement.float32(module.bias()));
    }

    private static LayerNorm layerNorm(DeviceWeights.Placement placement, Module module) throws IOException {
        return new LayerNorm(placement.float32(module.weight()), placement.float32(module.bias()), NORM_EPS);
    }
}
