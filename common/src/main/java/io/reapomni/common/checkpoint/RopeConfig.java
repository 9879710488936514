package io.reapomni.common.checkpoint;

import java.util.List;

/**
 * Rotary position settings of a decoder stack, read from either config style: transformers 5 writes
 * {@code rope_parameters}, the hub checkpoint has {@code rope_theta} and {@code rope_scaling}.
 *
 * @param mropeSection the M-RoPE split of head_dim/2 frequencies into temporal, height and width sections
 * @param interleaved  whether the sections are interleaved (Qwen3-Omni) rather than contiguous (Qwen2.5-Omni)
 */
public record RopeConfig(double theta, List<Integer> mropeSection, boolean interleaved) {
    public RopeConfig {
        mropeSection = List.copyOf(mropeSection);
    }
}
