package io.reapomni.calibration.model;

/**
 * How many frames survive the audio tower's three stride-2 convolutions. Features are cut into chunks of
 * {@code 2 * nWindow} frames; a full chunk of 100 frames gives 13 tokens, which is where 13 tokens per second
 * (100 frames per second) comes from.
 */
public final class AudioLengths {
    private AudioLengths() {
    }

    /** Output rows of one chunk of {@code frames} frames: three times ⌊(n − 1)/2⌋ + 1. */
    public static int afterConvolutions(int frames) {
        int length = frames;
        for (int i = 0; i < 3; i++) {
            length = Math.floorDiv(length - 1, 2) + 1;
        }
        return length;
    }

    /** Audio tokens for a whole input of {@code frames} frames: full chunks count 13 each, plus the remainder's. */
    public static int tokens(int frames, int nWindow) {
        int chunk = 2 * nWindow;
        int remainder = frames % chunk;
        return (remainder == 0 ? 0 : afterConvolutions(remainder)) + (frames / chunk) * afterConvolutions(chunk);
    }

    /** The chunk lengths the tower splits {@code frames} into: full chunks, then the remainder if any. */
    public static int[] chunkLengths(int frames, int nWindow) {
        int chunk = 2 * nWindow;
        int count = Math.floorDiv(frames + chunk - 1, chunk);
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = Math.min(chunk, frames - i * chunk);
        }
        return lengths;
    }
}
