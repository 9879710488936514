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
        int remainder = frames % FRAMES_PER_CHUNK;
        int afterFirstConvolution = Math.floorDiv(remainder - 1, 2) + 1;
        int afterSecondConvolution = Math.floorDiv(afterFirstConvolution - 1, 2) + 1;
        int afterThirdConvolution = Math.floorDiv(afterSecondConvolution - 1, 2) + 1;
        return afterThirdConvolution + frames / FRAMES_PER_CHUNK * TOKENS_PER_CHUNK;
    }
}
