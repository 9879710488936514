package io.reapomni.calibration.model;

import java.util.Optional;

/**
 * The 3-D positions transformers' {@code get_rope_index} gives a prompt: every token that is not a video pad takes
 * the next position on all three axes (one past the largest position so far), and a run of video pads takes a grid
 * that starts there: time advances by seconds per frame group × positions per second, height and width by one per token
 * row and column. Audio pads count as text here, which is what transformers does for audio that is not interleaved
 * with a video's frames.
 */
public final class MultimodalPositions {
    private MultimodalPositions() {
    }

    /**
     * @throws IllegalArgumentException when the prompt's video pads and the video disagree: pads without a video, a
     *                                  video without pads, more than one run, or a run of the wrong length
     */
    public static PositionIds of(int[] tokenIds, int videoPadId, Optional<VideoTokenGrid> video) {
        int length = tokenIds.length;
        float[] temporal = new float[length];
        float[] height = new float[length];
        float[] width = new float[length];
        float next = 0;
        boolean videoPlaced = false;
        int token = 0;
        while (token < length) {
            if (tokenIds[token] != videoPadId) {
                temporal[token] = next;
                height[token] = next;
                width[token] = next;
                next += 1;
                token++;
                continue;
            }
            int runLength = runLength(tokenIds, token, videoPadId);
            VideoTokenGrid grid = video.orElseThrow(() -> new IllegalArgumentException(
                    "the prompt has <video_pad> tokens but the sample has no video"));
            if (videoPlaced) {
                throw new IllegalArgumentException("the prompt has more than one run of <video_pad> tokens for one video");
            }
            if (runLength != grid.tokens()) {
                throw new IllegalArgumentException("the prompt has " + runLength
                        + " <video_pad> tokens but the video encodes to " + grid.tokens());
            }
            float largest = next;
            int perFrame = grid.rows() * grid.columns();
            for (int k = 0; k < runLength; k++) {
                int i = token + k;
                temporal[i] = grid.temporalOffset(k / perFrame) + next;
                height[i] = (float) ((k / grid.columns()) % grid.rows()) + next;
                width[i] = (float) (k % grid.columns()) + next;
                largest = Math.max(largest, Math.max(temporal[i], Math.max(height[i], width[i])));
            }
            next = largest + 1;
            videoPlaced = true;
            token += runLength;
        }
        if (video.isPresent() && !videoPlaced) {
            throw new IllegalArgumentException("the sample has a video but its prompt has no <video_pad> tokens");
        }
        return new PositionIds(temporal, height, width);
    }

    private static int runLength(int[] tokenIds, int start, int padId) {
        int end = start;
        while (end < tokenIds.length && tokenIds[end] == padId) {
            end++;
        }
        return end - start;
    }
}
