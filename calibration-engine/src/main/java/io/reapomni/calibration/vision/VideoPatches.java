package io.reapomni.calibration.vision;

import java.util.Objects;

/**
 * A video as the vision tower takes it, transformers' {@code pixel_values_videos}: one row per patch, patches ordered
 * by frame group, then by {@code mergeSize × mergeSize} block (row-major), then row-major within the block; each row
 * is channels × temporal patch × patch × patch normalised pixel values.
 *
 * @param secondsPerGrid seconds of video that one frame group covers (temporal patch size / sampled fps)
 */
public record VideoPatches(VisionGrid grid, int patchValues, float[] values, float secondsPerGrid) {
    public VideoPatches {
        Objects.requireNonNull(grid, "grid");
        if ((long) grid.patches() * patchValues != values.length) {
            throw new IllegalArgumentException(values.length + " pixel values do not make " + grid.patches()
                    + " patches of " + patchValues);
        }
        if (!(secondsPerGrid > 0)) {
            throw new IllegalArgumentException("seconds per frame group must be positive, not " + secondsPerGrid);
        }
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }
}
