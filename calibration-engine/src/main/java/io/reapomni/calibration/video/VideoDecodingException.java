package io.reapomni.calibration.video;

/** A video or frame folder that cannot be turned into frames, with a reason a person can act on. */
public class VideoDecodingException extends Exception {
    public VideoDecodingException(String message) {
        super(message);
    }

    public VideoDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
