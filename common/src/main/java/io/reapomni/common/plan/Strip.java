package io.reapomni.common.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.reapomni.common.checkpoint.Component;

import java.util.Locale;
import java.util.Set;

/** A modality that a plan removes whole, by the name used in plans and flags. */
public enum Strip {
    /** The vision encoder, deepstack mergers included. */
    VISION(Set.of(Component.VISION)),
    /** The speech output path: the talker and the code2wav vocoder, which is useless without it. */
    TALKER(Set.of(Component.TALKER, Component.CODE2WAV));

    private final Set<Component> components;

    Strip(Set<Component> components) {
        this.components = components;
    }

    public Set<Component> components() {
        return components;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Strip parse(String id) {
        for (Strip strip : values()) {
            if (strip.id().equals(id)) {
                return strip;
            }
        }
        throw new IllegalArgumentException("unknown strip \"" + id + "\": expected vision or talker");
    }
}
