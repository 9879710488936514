package io.reapomni.calibration.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Whisper's fixed positional table: sines of geometric timescales from 1 to 10000, then the cosines. */
final class SinusoidalPositions {
    private static final double MAX_TIMESCALE = 10000.0;

    private SinusoidalPositions() {
    }

    /** [length, channels], computed in float32 like the buffer transformers registers. */
    static NDArray create(NDManager manager, int length, int channels) {
        int half = channels / 2;
        float increment = (float) (Math.log(MAX_TIMESCALE) / (half - 1));
        float[] table = new float[length * channels];
        for (int i = 0; i < half; i++) {
            float inverseTimescale = (float) Math.exp(-increment * (float) i);
            for (int position = 0; position < length; position++) {
                float scaled = (float) position * inverseTimescale;
                table[position * channels + i] = (float) Math.sin(scaled);
                table[position * channels + half + i] = (float) Math.cos(scaled);
            }
        }
        return OwnedArrays.floats(manager, table, new Shape(length, channels));
    }
}
