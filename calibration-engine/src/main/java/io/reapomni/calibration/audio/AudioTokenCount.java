package io.reapomni.calibration.audio;

/**
 * How many thinker tokens Qwen3-Omni's audio tower makes of a clip's feature frames, the rule of transformers'
 * {@code _get_feat_extract_output_lengths} for qwen3_omni_moe.
 *
 * <p>The tower encodes the frames in chunks of 100 (1 s): each full chunk yields 13 tokens, and the remaining r frames
 * go through three stride-2 convolutions, each taking a length m to ⌊(m − 1)/2⌋ + 1. The division floors, as
 * Python's {@code //} does: for r = 0 the remainder yields 0 tokens, not the 1 that truncating division would give.
 */
public final class AudioTokenCount {
    private static final int FRAMES_PER_CHUNK = 100;
    private static final int TOKENS_PER_CHUNK = 13;

    private AudioTokenCount() {
    }

    public static int forFrames(int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("frame count must not be negative, not " + frames);
        }
        return afterConvolutions(frames % FRAMES_PER_CHUNK) + frames / FRAMES_PER_CHUNK * TOKENS_PER_CHUNK;
    }

    /** The rows that one chunk of {@code frames} frames leaves after the three stride-2 convolutions. */
    public static int afterConvolutions(int frames) {
        int length = frames;
        for (int convolution = 0; convolution < 3; convolution++) {
            length = Math.floorDiv(length - 1, 2) + 1;
        }
        return length;
    }
}
