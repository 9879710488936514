package io.reapomni.calibration.model;

import ai.djl.ndarray.NDManager;
import io.reapomni.common.checkpoint.RopeConfig;

import java.util.List;

/**
 * The thinker's M-RoPE: each of the head's frequencies takes its angle from one position axis, as the config's
 * {@code mrope_section} assigns them. Interleaved (Qwen3-Omni): frequency i belongs to height when i mod 3 = 1 and to
 * width when i mod 3 = 2, while i is below three times that axis's section, and to time otherwise. Contiguous
 * (Qwen2.5-Omni): the first sections[0] frequencies are time, the next sections[1] height, the rest width.
 */
public final class MultimodalRope {
    private MultimodalRope() {
    }

    public static RotaryEmbedding create(NDManager manager, PositionIds positions, int headDim, RopeConfig rope) {
        float[] inverseFrequency = RotaryEmbedding.inverseFrequencies(headDim, rope.theta());
        int half = inverseFrequency.length;
        int[] axisOfFrequency = axes(half, rope);
        int length = positions.length();
        float[] angles = new float[length * half];
        for (int token = 0; token < length; token++) {
            for (int i = 0; i < half; i++) {
                angles[token * half + i] = positions.at(axisOfFrequency[i], token) * inverseFrequency[i];
            }
        }
        return RotaryEmbedding.fromAngles(manager, angles, length);
    }

    private static int[] axes(int half, RopeConfig rope) {
        List<Integer> sections = rope.mropeSection();
        int[] axes = new int[half];
        if (sections.size() != 3) {
            throw new IllegalArgumentException("mrope_section must have three entries (time, height, width), not "
                    + sections);
        }
        for (int i = 0; i < half; i++) {
            if (rope.interleaved()) {
                int axis = i % 3;
                axes[i] = axis != 0 && i < 3 * sections.get(axis) ? axis : 0;
            } else {
                axes[i] = i < sections.get(0) ? 0 : i < sections.get(0) + sections.get(1) ? 1 : 2;
            }
        }
        return axes;
    }
}
