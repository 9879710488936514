package io.reapomni.calibration.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.reapomni.calibration.model.Linear;
import io.reapomni.calibration.model.OwnedArrays;
import io.reapomni.calibration.model.RotaryEmbedding;

import java.util.ArrayList;
import java.util.List;

/**
 * The thinker's vision encoder: a linear patch embedding (transformers' Conv3d whose kernel is the whole patch),
 * interpolated absolute positions, blocks with 2-D rotary attention, the final merger, and the deepstack mergers that
 * tap the blocks listed in {@code deepstack_visual_indexes}.
 *
 * @param positionTable [side², hidden] learned position embeddings
 */
public record VisionTower(VisionConfig config, Linear patchEmbedding, NDArray positionTable, List<VisionBlock> blocks,
                          PatchMerger merger, List<PatchMerger> deepstackMergers) {

    public VisionTower {
        blocks = List.copyOf(blocks);
        deepstackMergers = List.copyOf(deepstackMergers);
        if (deepstackMergers.size() != config.deepstackVisualIndexes().size()) {
            throw new IllegalArgumentException(deepstackMergers.size() + " deepstack mergers for "
                    + config.deepstackVisualIndexes().size() + " deepstack_visual_indexes");
        }
    }

    public VisionFeatures encode(NDManager manager, VideoPatches video) {
        if (video.patchValues() != config.patchValues()) {
            throw new IllegalArgumentException("patches of " + video.patchValues() + " values, the tower takes "
                    + config.patchValues());
        }
        VisionGrid grid = video.grid();
        PatchLayout layout = PatchLayout.of(grid, config.spatialMergeSize());
        NDArray pixels = OwnedArrays.floats(manager, video.values(), new Shape(grid.patches(), video.patchValues()));
        NDArray hidden = patchEmbedding.apply(pixels)
                .add(PositionEmbeddingInterpolation.embed(manager, positionTable, config.positionGridSide(), grid, layout));
        RotaryEmbedding rope = rotary(manager, layout);
        List<NDArray> deepstack = new ArrayList<>();
        for (int index = 0; index < blocks.size(); index++) {
            hidden = blocks.get(index).apply(hidden, rope, grid.patchesPerFrame());
            int tap = config.deepstackVisualIndexes().indexOf(index);
            if (tap >= 0) {
                deepstack.add(deepstackMergers.get(tap).apply(hidden));
            }
        }
        return new VisionFeatures(merger.apply(hidden), deepstack);
    }

    /**
     * Each head splits into a height half and a width half: the first headDim/4 frequencies rotate by the patch's
     * row, the next headDim/4 by its column.
     */
    private RotaryEmbedding rotary(NDManager manager, PatchLayout layout) {
        float[] inverseFrequency = RotaryEmbedding.inverseFrequencies(config.headDim() / 2, config.ropeTheta());
        int quarter = inverseFrequency.length;
        int patches = layout.patches();
        float[] angles = new float[patches * 2 * quarter];
        for (int patch = 0; patch < patches; patch++) {
            for (int i = 0; i < quarter; i++) {
                angles[patch * 2 * quarter + i] = (float) layout.row(patch) * inverseFrequency[i];
                angles[patch * 2 * quarter + quarter + i] = (float) layout.column(patch) * inverseFrequency[i];
            }
        }
        return RotaryEmbedding.fromAngles(manager, angles, patches);
    }
}
