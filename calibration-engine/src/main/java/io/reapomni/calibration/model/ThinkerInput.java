package io.reapomni.calibration.model;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.common.job.Modality;

import java.util.Objects;
import java.util.Optional;

/**
 * One calibration sample ready for the thinker: its prompt's token ids; when the prompt has a run of
 * {@code <audio_pad>} ids, the log-mel features whose encoding fills it; when it has a run of {@code <video_pad>} ids,
 * the video patches whose encoding fills that.
 *
 * @param modality the data set whose statistics it counts towards
 */
public record ThinkerInput(String id, Modality modality, int[] tokenIds, Optional<AudioFeatures> audio,
                           Optional<VideoPatches> video) {
    public ThinkerInput {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(video, "video");
        if (tokenIds.length == 0) {
            throw new IllegalArgumentException("sample " + id + " has no tokens");
        }
        tokenIds = tokenIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
