package io.reapomni.calibration.audio;

/**
 * Log-mel features laid out [melBins, frames] row-major in float32, the audio tower's {@code input_features} for one
 * clip. The values are copied in and out so that a value once built never changes.
 */
public record AudioFeatures(int melBins, int frames, float[] values) {
    public AudioFeatures {
        if (melBins <= 0 || frames <= 0) {
            throw new IllegalArgumentException("features need at least one mel bin and one frame, not ["
                    + melBins + ", " + frames + "]");
        }
        if (values.length != (long) melBins * frames) {
            throw new IllegalArgumentException("[" + melBins + ", " + frames + "] features need "
                    + (long) melBins * frames + " values, not " + values.length);
        }
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    public float value(int mel, int frame) {
        return values[mel * frames + frame];
    }
}
