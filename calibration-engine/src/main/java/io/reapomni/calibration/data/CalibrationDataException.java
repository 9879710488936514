package io.reapomni.calibration.data;

/** Calibration input that cannot be used at all (no tokenizer, unreadable JSONL file); the message says what. */
public final class CalibrationDataException extends Exception {
    public CalibrationDataException(String message) {
        super(message);
    }

    public CalibrationDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
