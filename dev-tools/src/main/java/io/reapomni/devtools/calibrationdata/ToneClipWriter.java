package io.reapomni.devtools.calibrationdata;

import io.reapomni.calibration.audio.MonoAudio;
import io.reapomni.calibration.audio.WhisperLogMel;

import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Tones, chirps and noise bursts as 16 kHz mono 16-bit WAV: the stand-in for speech when espeak-ng is missing. A clip
 * lasts about as long as its utterance would take to say, so that the data keeps the token counts of speech.
 */
public final class ToneClipWriter implements SpeechClipWriter {
    private static final Pattern WORD_BREAKS = Pattern.compile("\\s+");
    private static final double SECONDS_PER_WORD = 0.35;
    private static final double SHORTEST_SECONDS = 1.0;
    private static final double LONGEST_SECONDS = 4.0;
    private static final int FADE_SAMPLES = WhisperLogMel.SAMPLE_RATE / 100;

    @Override
    public double write(Path file, String utterance, Random variation) throws SampleGenerationException {
        int words = WORD_BREAKS.split(utterance.strip()).length;
        double seconds = Math.max(SHORTEST_SECONDS, Math.min(LONGEST_SECONDS, words * SECONDS_PER_WORD));
        int length = (int) Math.round(seconds * WhisperLogMel.SAMPLE_RATE);
        ToneKind kind = ToneKind.values()[variation.nextInt(ToneKind.values().length)];
        Pcm16WavWriter.write(file, new MonoAudio(faded(kind.render(length, WhisperLogMel.SAMPLE_RATE, variation)),
                WhisperLogMel.SAMPLE_RATE));
        return (double) length / WhisperLogMel.SAMPLE_RATE;
    }

    @Override
    public ClipSource source() {
        return ClipSource.GENERATED_TONES;
    }

    /** Ramps in and out over 10 ms, so that the clip starts and ends without a click across every frequency. */
    private static double[] faded(double[] samples) {
        int fade = Math.min(FADE_SAMPLES, samples.length / 2);
        for (int i = 0; i < fade; i++) {
            double gain = (double) i / fade;
            samples[i] *= gain;
            samples[samples.length - 1 - i] *= gain;
        }
        return samples;
    }
}
