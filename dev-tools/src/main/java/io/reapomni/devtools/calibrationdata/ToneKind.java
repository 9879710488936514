package io.reapomni.devtools.calibrationdata;

import java.util.Random;

/** The sounds that stand in for speech when espeak-ng is missing: each exercises the audio tower differently. */
public enum ToneKind {
    /** A steady tone with a few harmonics, like a sustained vowel. */
    HARMONIC_TONE {
        @Override
        double[] render(int length, int sampleRate, Random variation) {
            double fundamental = variation.nextDouble(110, 330);
            double[] samples = new double[length];
            for (int i = 0; i < length; i++) {
                double t = (double) i / sampleRate;
                samples[i] = 0.5 * Math.sin(2 * Math.PI * fundamental * t)
                        + 0.25 * Math.sin(2 * Math.PI * 2 * fundamental * t)
                        + 0.12 * Math.sin(2 * Math.PI * 3 * fundamental * t);
            }
            return samples;
        }
    },
    /** A linear sweep across the speech band, so that every mel bin sees energy. */
    CHIRP {
        @Override
        double[] render(int length, int sampleRate, Random variation) {
            double from = variation.nextDouble(100, 500);
            double to = variation.nextDouble(2_000, 6_000);
            double seconds = (double) length / sampleRate;
            double[] samples = new double[length];
            for (int i = 0; i < length; i++) {
                double t = (double) i / sampleRate;
                samples[i] = 0.6 * Math.sin(2 * Math.PI * (from * t + (to - from) * t * t / (2 * seconds)));
            }
            return samples;
        }
    },
    /** White noise in syllable-long bursts with silences between, like the rhythm of speech. */
    NOISE_BURSTS {
        @Override
        double[] render(int length, int sampleRate, Random variation) {
            int burst = sampleRate * variation.nextInt(120, 260) / 1000;
            int gap = sampleRate * variation.nextInt(60, 160) / 1000;
            double[] samples = new double[length];
            for (int i = 0; i < length; i++) {
                boolean sounding = i % (burst + gap) < burst;
                samples[i] = sounding ? 0.4 * (2 * variation.nextDouble() - 1) : 0;
            }
            return samples;
        }
    };

    /** {@code length} samples at {@code sampleRate}, within full scale. */
    abstract double[] render(int length, int sampleRate, Random variation);
}
