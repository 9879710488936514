package io.reapomni.common.checkpoint;

import java.util.Locale;

/** The parts of a Qwen3-Omni checkpoint that are counted, stripped and reported separately. */
public enum Component {
    AUDIO_TOWER("thinker.audio_tower."),
    VISION("thinker.visual."),
    THINKER_TEXT("thinker.model.", "thinker.lm_head."),
    TALKER("talker."),
    CODE2WAV("code2wav."),
    OTHER();

    private final String[] prefixes;

    Component(String... prefixes) {
        this.prefixes = prefixes;
    }

    /** The component a tensor belongs to, by its name prefix. */
    public static Component of(String tensorName) {
        for (Component component : values()) {
            for (String prefix : component.prefixes) {
                if (tensorName.startsWith(prefix)) {
                    return component;
                }
            }
        }
        return OTHER;
    }

    /** The lower-case name used in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
