package io.reapomni.calibration.audio;

import java.nio.file.Path;

/** A WAV file's log-mel features for the audio tower: decoded, mixed to mono, resampled to 16 kHz, transformed. */
public final class AudioFeatureReader {
    private final WhisperLogMel logMel = new WhisperLogMel();

    public AudioFeatures read(Path wavFile) throws AudioDecodingException {
        MonoAudio audio = toFeatureRate(WavDecoder.decode(wavFile));
        try {
            return logMel.extract(audio);
        } catch (IllegalArgumentException e) {
            throw new AudioDecodingException(wavFile + ": " + e.getMessage(), e);
        }
    }

    public static MonoAudio toFeatureRate(MonoAudio audio) {
        if (audio.sampleRate() == WhisperLogMel.SAMPLE_RATE) {
            return audio;
        }
        SincResampler resampler = new SincResampler(audio.sampleRate(), WhisperLogMel.SAMPLE_RATE);
        return new MonoAudio(resampler.resample(audio.samples()), WhisperLogMel.SAMPLE_RATE);
    }
}
