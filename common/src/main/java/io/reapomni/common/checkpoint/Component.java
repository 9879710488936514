package io.reapomni.common.checkpoint;

import java.util.Locale;

/**
 * The parts of a Qwen3-Omni checkpoint that are counted, stripped and reported separately; which tensors belong to
 * which is {@link Qwen3OmniLayout#component}'s to say.
 */
public enum Component {
    AUDIO_TOWER,
    VISION,
    THINKER_TEXT,
    TALKER,
    CODE2WAV,
    OTHER;

    /** The lower-case name used in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
