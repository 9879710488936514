package io.reapomni.calibration.data;

import io.reapomni.calibration.audio.AudioDecodingException;
import io.reapomni.calibration.audio.AudioFeatureReader;
import io.reapomni.calibration.audio.AudioFeatures;
import io.reapomni.calibration.video.VideoDecodingException;
import io.reapomni.calibration.video.VideoPatchReader;
import io.reapomni.calibration.vision.VideoPatches;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Turns one read sample into thinker input: decodes the media it names and lays out its tokens. */
public final class SamplePreparer {
    private final PromptLayout layout;
    private final AudioFeatureReader audioReader;
    private final VideoPatchReader videoReader;

    public SamplePreparer(PromptLayout layout, AudioFeatureReader audioReader, VideoPatchReader videoReader) {
        this.layout = layout;
        this.audioReader = audioReader;
        this.videoReader = videoReader;
    }

    public PreparedSample prepare(CalibrationSample sample) throws SampleRejectedException {
        Optional<AudioFeatures> audio = Optional.empty();
        if (sample.audio().isPresent()) {
            audio = Optional.of(features(sample.audio().get()));
        }
        Optional<VideoPatches> video = Optional.empty();
        if (sample.video().isPresent()) {
            video = Optional.of(patches(sample.video().get()));
        }
        SampleMedia media = new SampleMedia(audio, video);
        if (sample.content() instanceof SampleContent.TokenIds tokenIds) {
            return layout.pretokenised(sample.id(), sample.modality(), tokenIds.ids(), media);
        }
        return layout.text(sample.id(), sample.modality(), ((SampleContent.Text) sample.content()).text(), media);
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

    /** The reader's reasons already name the file and, when ffmpeg is missing, how to install it. */
    private VideoPatches patches(Path source) throws SampleRejectedException {
        try {
            return videoReader.read(source);
        } catch (VideoDecodingException e) {
            throw new SampleRejectedException("unusable video: " + e.getMessage(), e);
        }
    }
}
