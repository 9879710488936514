package io.reapomni.devtools.calibrationdata;

import java.util.Optional;

/** What made the audio clips or the videos of a generated data set. */
public enum ClipSource {
    ESPEAK_NG("espeak-ng speech", Optional.empty()),
    GENERATED_TONES("generated tones", Optional.of("espeak-ng was not found on the PATH: the audio clips are "
            + "generated tones, chirps and noise bursts, not speech (install espeak-ng, e.g. apt-get install "
            + "espeak-ng, for spoken clips)")),
    FFMPEG("ffmpeg test patterns", Optional.empty()),
    GENERATED_FRAMES("folders of generated PNG frames", Optional.of("ffmpeg was not found on the PATH: the videos "
            + "are folders of generated PNG frames (reading video calibration data needs ffmpeg all the same, e.g. "
            + "apt-get install ffmpeg)"));

    private final String description;
    private final Optional<String> fallbackNotice;

    ClipSource(String description, Optional<String> fallbackNotice) {
        this.description = description;
        this.fallbackNotice = fallbackNotice;
    }

    public String description() {
        return description;
    }

    /** Why the clips are not what a user would expect, when this source is a stand-in for a missing tool. */
    public Optional<String> fallbackNotice() {
        return fallbackNotice;
    }
}
