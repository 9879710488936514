package io.reapomni.calibration.audio;

/** An audio file that cannot be turned into samples; the message names the file and what is wrong with it. */
public final class AudioDecodingException extends Exception {
    public AudioDecodingException(String message) {
        super(message);
    }

    public AudioDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
