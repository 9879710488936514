package io.reapomni.calibration.audio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A WAV file's log-mel features for the audio tower: decoded, mixed to mono, resampled to 16 kHz, transformed.
 *
 * <p>A clip longer than {@code maxDuration} is refused from its header, before a sample is read: a 3 GB file costs
 * nothing. The samples stream from the file into the resampler, so a clip within the limit holds memory at 16 kHz
 * whatever its own rate: about 0.5 MB a second of audio while its features are computed (the samples, the
 * spectrogram and the features), 51 KB a second of features afterwards.
 */
public final class AudioFeatureReader {
    private final WhisperLogMel logMel = new WhisperLogMel();
    private final Duration maxDuration;

    public AudioFeatureReader(Duration maxDuration) {
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("the longest audio must be positive, not " + maxDuration);
        }
        this.maxDuration = maxDuration;
    }

    public AudioFeatures read(Path wavFile) throws AudioDecodingException {
        MonoAudio audio;
        try (WavDecoder.WavFile wav = WavDecoder.open(wavFile)) {
            if (wav.seconds() > maxDuration.toMillis() / 1000.0) {
                throw new AudioDecodingException(String.format(Locale.ROOT, "%s holds %.1f s of audio, more than the"
                        + " %d s a clip may have (README, Limits and guarantees)", wavFile, wav.seconds(),
                        maxDuration.toSeconds()));
            }
            audio = new MonoAudio(resampler(wav, wavFile).resample(wav.mono(), wav.frames()),
                    WhisperLogMel.SAMPLE_RATE);
        }
        try {
            return logMel.extract(audio);
        } catch (IllegalArgumentException e) {
            throw new AudioDecodingException(wavFile + ": " + e.getMessage(), e);
        }
    }

    private static SincResampler resampler(WavDecoder.WavFile wav, Path wavFile) throws AudioDecodingException {
        try {
            return new SincResampler(wav.sampleRate(), WhisperLogMel.SAMPLE_RATE);
        } catch (IllegalArgumentException e) {
            throw new AudioDecodingException(wavFile + ": unsupported sample rate: " + e.getMessage(), e);
        }
    }
}
