package io.reapomni.calibration.model;

import io.reapomni.common.checkpoint.RopeConfig;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MultimodalPositionsTest {
    private static final int V = 9;

    @Test
    void videoThenTextFollowsTheExampleOfTransformersGetRopeIndex() {
        // get_rope_index's docstring: 3 frame groups of 2x2 tokens, 25 positions a second, 2 s per group (interval 50),
        // then 5 text tokens
        int[] ids = {V, V, V, V, V, V, V, V, V, V, V, V, 1, 2, 3, 4, 5};
        PositionIds positions = MultimodalPositions.of(ids, V, Optional.of(new VideoTokenGrid(3, 2, 2, 2f, 25f)));
        assertThat(positions.temporal()).containsExactly(0, 0, 0, 0, 50, 50, 50, 50, 100, 100, 100, 100,
                101, 102, 103, 104, 105);
        assertThat(positions.height()).containsExactly(0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 101, 102, 103, 104, 105);
        assertThat(positions.width()).containsExactly(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 101, 102, 103, 104, 105);
    }

    @Test
    void textAndAudioAroundAVideoContinueAfterItsLargestPosition() {
        // a, b, <vision_start>, 1x2x2 video tokens, <vision_end>, <audio_start>, 2 audio pads, <audio_end>, c
        int[] ids = {1, 2, 8, V, V, V, V, 7, 6, 5, 5, 4, 3};
        PositionIds positions = MultimodalPositions.of(ids, V, Optional.of(new VideoTokenGrid(1, 2, 2, 1f, 25f)));
        assertThat(positions.temporal()).containsExactly(0, 1, 2, 3, 3, 3, 3, 5, 6, 7, 8, 9, 10);
        assertThat(positions.height()).containsExactly(0, 1, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10);
        assertThat(positions.width()).containsExactly(0, 1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void fractionalSecondsGiveFractionalTemporalPositions() {
        int[] ids = {1, V, V};
        PositionIds positions = MultimodalPositions.of(ids, V, Optional.of(new VideoTokenGrid(2, 1, 1, 0.5f, 25f)));
        assertThat(positions.temporal()).containsExactly(0f, 1f, 13.5f);
    }

    @Test
    void padsThatDoNotMatchTheVideoAreRefused() {
        int[] ids = {1, V, V, V, 2};
        VideoTokenGrid fourTokens = new VideoTokenGrid(1, 2, 2, 1f, 25f);
        assertThatThrownBy(() -> MultimodalPositions.of(ids, V, Optional.of(fourTokens)))
                .hasMessage("the prompt has 3 <video_pad> tokens but the video encodes to 4");
        assertThatThrownBy(() -> MultimodalPositions.of(ids, V, Optional.empty()))
                .hasMessage("the prompt has <video_pad> tokens but the sample has no video");
        assertThatThrownBy(() -> MultimodalPositions.of(new int[] {1, 2}, V, Optional.of(fourTokens)))
                .hasMessage("the sample has a video but its prompt has no <video_pad> tokens");
    }

    @Test
    void interleavedSectionsTakeHeightAndWidthFromEveryThirdFrequency() {
        // head_dim 12: 6 frequencies; sections [2, 2, 2] interleaved give axes t h w t h w
        assertThat(axesOfFrequencies(true)).containsExactly(0, 1, 2, 0, 1, 2);
        // contiguous (Qwen2.5-Omni): t t h h w w
        assertThat(axesOfFrequencies(false)).containsExactly(0, 0, 1, 1, 2, 2);
    }

    /**
     * Which axis each frequency rotates by, read back from the tables: positions t=1, h=2, w=3 and theta 1 (every
     * frequency 1), so the angle of frequency i is the position of its axis.
     */
    private static int[] axesOfFrequencies(boolean interleaved) {
        PositionIds positions = new PositionIds(new float[] {1}, new float[] {2}, new float[] {3});
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] cos = MultimodalRope.create(manager, positions, 12,
                    new RopeConfig(1.0, List.of(2, 2, 2), interleaved)).cos().toFloatArray();
            int[] axes = new int[6];
            for (int i = 0; i < 6; i++) {
                assertThat(cos[i + 6]).isEqualTo(cos[i]);
                for (int axis = 0; axis < 3; axis++) {
                    if (Math.abs(cos[i] - Math.cos(axis + 1)) < 1e-6) {
                        axes[i] = axis;
                    }
                }
                assertThat(cos[i]).isCloseTo((float) Math.cos(axes[i] + 1), within(1e-6f));
            }
            return axes;
        }
    }
}
