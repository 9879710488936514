package io.reapomni.common.job;

import java.util.Locale;

/** The calibration data sets of the audio-affinity score: S1 from audio, S2 from video, S3 from mixed. */
public enum Modality {
    AUDIO, VIDEO, MIXED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
