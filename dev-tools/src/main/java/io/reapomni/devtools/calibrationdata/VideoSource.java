package io.reapomni.devtools.calibrationdata;

import java.util.Optional;

/** What made the videos of a generated data set. */
public enum VideoSource {
    FFMPEG("ffmpeg test patterns", Optional.empty()),
    GENERATED_FRAMES("folders of generated PNG frames", Optional.of("ffmpeg was not found on the PATH: the videos "
            + "are folders of generated PNG frames (reading video calibration data needs ffmpeg all the same, e.g. "
            + "apt-get install ffmpeg)"));

    private final String description;
    private final Optional<String> fallbackNotice;

    VideoSource(String description, Optional<String> fallbackNotice) {
        this.description = description;
        this.fallbackNotice = fallbackNotice;
    }

    public String description() {
        return description;
    }

    /** Why the videos are not what a user would expect, when this source is a stand-in for a missing tool. */
    public Optional<String> fallbackNotice() {
        return fallbackNotice;
    }
}
