package io.reapomni.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The phases of a job, in order; progress and failures name the phase they belong to. */
public enum JobPhase {
    PLANNING, CALIBRATION, SCORING, WRITING;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobPhase parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
