package io.reapomni.devtools.calibrationdata;

/** Calibration data could not be generated: a tool failed or a file could not be written. */
public final class SampleGenerationException extends Exception {
    public SampleGenerationException(String message) {
        super(message);
    }

    public SampleGenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
