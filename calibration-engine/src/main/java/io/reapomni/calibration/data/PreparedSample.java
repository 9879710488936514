package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.vision.VideoPatches;
import io.reapomni.common.job.Modality;

import java.util.List;
import java.util.Optional;

/**
 * One calibration sample ready for the thinker: its token ids and, for each medium it has, the encoder input whose
 * output replaces that medium's run of pad ids. The ids are copied in and out so that a value once built never
 * changes.
 */
public record PreparedSample(String id, Modality modality, int[] inputIds, Optional<MediaRun<AudioFeatures>> audio,
                             Optional<MediaRun<VideoPatches>> video) {
    public PreparedSample {
        inputIds = inputIds.clone();
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("sample " + id + " has no tokens");
        }
        for (Optional<? extends MediaRun<?>> run : List.of(audio, video)) {
            if (run.isPresent() && run.get().end() > inputIds.length) {
                throw new IllegalArgumentException("sample " + id + ": a pad run ends at " + run.get().end()
                        + ", past its " + inputIds.length + " tokens");
            }
        }
        if (audio.isPresent() && video.isPresent() && audio.get().start() < video.get().end()
                && video.get().start() < audio.get().end()) {
            throw new IllegalArgumentException("sample " + id + ": its audio and video pad runs overlap");
        }
    }

    @Override
    public int[] inputIds() {
        return inputIds.clone();
    }

    public int tokenCount() {
        return inputIds.length;
    }
}
