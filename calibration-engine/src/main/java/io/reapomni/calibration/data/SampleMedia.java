package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.vision.VideoPatches;

import java.util.Objects;
import java.util.Optional;

/** The decoded media a sample names: its audio's log-mel features and its video's patches, either or both. */
public record SampleMedia(Optional<AudioFeatures> audio, Optional<VideoPatches> video) {
    public SampleMedia {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(video, "video");
    }

    public boolean isEmpty() {
        return audio.isEmpty() && video.isEmpty();
    }
}
