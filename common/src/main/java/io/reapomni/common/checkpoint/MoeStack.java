package io.reapomni.common.checkpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The two Mixture-of-Experts decoder stacks of Qwen3-Omni, by the name users type ({@code --component}); their
 * tensors are named by {@link Qwen3OmniLayout}.
 */
public enum MoeStack {
    THINKER("/thinker_config/text_config"),
    TALKER("/talker_config/text_config");

    private final String configPath;

    MoeStack(String configPath) {
        this.configPath = configPath;
    }

    /** JSON pointer of this stack's config object. */
    public String configPath() {
        return configPath;
    }

    /** The lower-case name used in plans, flags and reports. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MoeStack parse(String id) {
        for (MoeStack stack : values()) {
            if (stack.id().equals(id)) {
                return stack;
            }
        }
        throw new IllegalArgumentException("unknown component \"" + id + "\": expected thinker or talker");
    }
}
