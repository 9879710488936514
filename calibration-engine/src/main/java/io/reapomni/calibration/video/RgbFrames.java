package io.reapomni.calibration.video;

/**
 * Sampled, resized frames: {@code frames × height × width × 3} bytes of RGB, frame by frame, row by row.
 */
public record RgbFrames(int frames, int height, int width, byte[] rgb) {
    public RgbFrames {
        if (frames < 1) {
            throw new IllegalArgumentException("a video needs at least one frame");
        }
        if ((long) frames * height * width * 3 != rgb.length) {
            throw new IllegalArgumentException(rgb.length + " bytes are not " + frames + " RGB frames of " + width
                    + "x" + height);
        }
        rgb = rgb.clone();
    }

    /** Channel {@code channel} of a pixel, 0 to 255. */
    public int value(int frame, int row, int column, int channel) {
        return rgb[(((frame * height + row) * width) + column) * 3 + channel] & 0xff;
    }

    @Override
    public byte[] rgb() {
        return rgb.clone();
    }
}
