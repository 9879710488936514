package io.reapomni.calibration.model;

/** A prompt whose run of {@code <audio_pad>} tokens does not match its audio's token count. */
public class AudioLengthMismatchException extends Exception {
    public AudioLengthMismatchException(long padTokens, long audioTokens) {
        super("the prompt has " + padTokens + " <audio_pad> tokens but the audio encodes to " + audioTokens);
    }
}
