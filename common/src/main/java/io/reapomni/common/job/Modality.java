package io.reapomni.common.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The calibration data sets of the audio-affinity score: S1 from audio, S2 from video, S3 from mixed. */
public enum Modality {
    AUDIO, VIDEO, MIXED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Modality parse(String id) {
        for (Modality modality : values()) {
            if (modality.id().equals(id)) {
                return modality;
            }
        }
        throw new IllegalArgumentException("unknown modality \"" + id + "\": expected audio, video or mixed");
    }
}
