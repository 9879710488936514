package io.reapomni.calibration.vision;

/**
 * A video's patch grid as transformers' {@code video_grid_thw}: {@code temporal} groups of frames, each
 * {@code height × width} patches.
 */
public record VisionGrid(int temporal, int height, int width) {
    public VisionGrid {
        if (temporal < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("a patch grid needs at least one patch on each axis, not " + temporal
                    + "×" + height + "×" + width);
        }
    }

    public int patches() {
        return temporal * height * width;
    }

    public int patchesPerFrame() {
        return height * width;
    }

    /** Tokens the merger makes of this grid: one per {@code mergeSize × mergeSize} patches. */
    public int tokens(int mergeSize) {
        requireMergeable(mergeSize);
        return patches() / (mergeSize * mergeSize);
    }

    public void requireMergeable(int mergeSize) {
        if (height % mergeSize != 0 || width % mergeSize != 0) {
            throw new IllegalArgumentException("a " + height + "×" + width + " patch grid cannot be merged in "
                    + mergeSize + "×" + mergeSize + " blocks");
        }
    }
}
