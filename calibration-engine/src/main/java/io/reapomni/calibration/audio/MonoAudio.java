package io.reapomni.calibration.audio;

/**
 * A mono waveform in [-1, 1] full scale at a given sample rate. The samples are copied in and out so that a value
 * once built never changes.
 */
public record MonoAudio(double[] samples, int sampleRate) {
    public MonoAudio {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, not " + sampleRate);
        }
        samples = samples.clone();
    }

    @Override
    public double[] samples() {
        return samples.clone();
    }

    public int length() {
        return samples.length;
    }

    public double durationSeconds() {
        return (double) samples.length / sampleRate;
    }
}
