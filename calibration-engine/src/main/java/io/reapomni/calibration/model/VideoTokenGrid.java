package io.reapomni.calibration.model;

/**
 * Where a video's tokens sit in M-RoPE space: {@code frames × rows × columns} tokens after the spatial merge, in that
 * order, and how far apart in time consecutive frame groups are.
 *
 * @param secondsPerFrameGroup seconds of video one frame group covers
 * @param positionsPerSecond   the config's {@code position_id_per_seconds}
 */
public record VideoTokenGrid(int frames, int rows, int columns, float secondsPerFrameGroup,
                             float positionsPerSecond) {
    public VideoTokenGrid {
        if (frames < 1 || rows < 1 || columns < 1) {
            throw new IllegalArgumentException("a video token grid needs at least one token on each axis, not "
                    + frames + "×" + rows + "×" + columns);
        }
    }

    /** The temporal offset of frame group {@code frame}, rounded in float32 in transformers' order. */
    public float temporalOffset(int frame) {
        return (float) frame * secondsPerFrameGroup * positionsPerSecond;
    }

    public int tokens() {
        return frames * rows * columns;
    }
}
