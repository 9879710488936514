package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.audio.AudioTokenCount;
import io.reapomni.common.job.Modality;

import java.util.Optional;

/**
 * One calibration sample ready for the thinker: its token ids and, for an audio sample, the log-mel features whose
 * audio-tower output replaces the {@code audioPadCount} ids starting at {@code audioPadStart}. Without audio the pad
 * start is −1 and the count 0. The ids are copied in and out so that a value once built never changes.
 */
public record PreparedSample(String id, Modality modality, int[] inputIds, Optional<AudioFeatures> audio,
                             int audioPadStart, int audioPadCount) {
    public PreparedSample {
        inputIds = inputIds.clone();
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("sample " + id + " has no tokens");
        }
        if (audio.isPresent()) {
            int expected = AudioTokenCount.forFrames(audio.get().frames());
            if (audioPadCount != expected || audioPadStart < 0 || audioPadStart + audioPadCount > inputIds.length) {
                throw new IllegalArgumentException("sample " + id + ": " + audioPadCount + " audio pads at "
                        + audioPadStart + " in " + inputIds.length + " tokens for audio of " + expected + " tokens");
            }
        } else if (audioPadStart != -1 || audioPadCount != 0) {
            throw new IllegalArgumentException("sample " + id + " has audio pads but no audio");
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
