package io.reapomni.common.checkpoint;

import java.io.IOException;

/** A checkpoint that does not have the layout, config or contents that reap-omni needs; the message says what. */
public class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
