package io.reapomni.calibration.model;

/**
 * A log-mel spectrogram as the audio tower takes it.
 *
 * @param values row-major [melBins, frames]
 */
public record AudioFeatures(float[] values, int melBins, int frames) {
    public AudioFeatures {
        if (melBins <= 0 || frames <= 0 || (long) melBins * frames != values.length) {
            throw new IllegalArgumentException("[" + melBins + ", " + frames + "] features need "
                    + (long) melBins * frames + " values, got " + values.length);
        }
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    float value(int bin, int frame) {
        return values[bin * frames + frame];
    }
}
