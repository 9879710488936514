package io.reapomni.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The phases of a job, in order; progress and failures name the phase they belong to. Evaluation, the written
 * model against its original on held-out samples, runs only when the job asks for it.
 */
public enum JobPhase {
    PLANNING, CALIBRATION, SCORING, WRITING, EVALUATION;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobPhase parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
