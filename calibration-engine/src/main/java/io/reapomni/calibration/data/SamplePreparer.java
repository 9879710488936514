package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioDecodingException;
import io.reapomni.calibration.audio.AudioFeatureReader;
import io.reapomni.calibration.audio.AudioFeatures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns one read sample into thinker input: decodes its audio, if any, and lays out its tokens. */
public final class SamplePreparer {
    private final PromptLayout layout;
    private final AudioFeatureReader audioReader;

    public SamplePreparer(PromptLayout layout, AudioFeatureReader audioReader) {
        this.layout = layout;
        this.audioReader = audioReader;
    }

    public PreparedSample prepare(CalibrationSample sample) throws SampleRejectedException {
        Optional<AudioFeatures> audio = Optional.empty();
        if (sample.audio().isPresent()) {
            audio = Optional.of(features(sample.audio().get()));
        }
        if (sample.content() instanceof SampleContent.TokenIds tokenIds) {
            return layout.pretokenised(sample.id(), sample.modality(), tokenIds.ids(), audio);
        }
        String text = ((SampleContent.Text) sample.content()).text();
        return audio.isPresent()
                ? layout.textWithAudio(sample.id(), sample.modality(), text, audio.get())
                : layout.text(sample.id(), sample.modality(), text);
    }

    private AudioFeatures features(Path file) throws SampleRejectedException {
        if (!Files.isRegularFile(file)) {
            throw new SampleRejectedException("missing audio file " + file);
        }
        try {
            return audioReader.read(file);
        } catch (AudioDecodingException e) {
            throw new SampleRejectedException("unreadable audio: " + e.getMessage(), e);
        }
    }
}
