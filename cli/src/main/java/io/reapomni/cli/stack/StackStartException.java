package io.reapomni.cli.stack;

import java.io.IOException;

/** A part of the stack did not become ready; the message names it and ends with its log's last lines. */
public final class StackStartException extends IOException {

    public StackStartException(String message) {
        super(message);
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
