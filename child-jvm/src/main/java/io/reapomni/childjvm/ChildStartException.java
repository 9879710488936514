package io.reapomni.childjvm;

import java.io.IOException;

/** A child JVM ended, or kept silent, before it printed its ready line; the message ends with its last log lines. */
public final class ChildStartException extends IOException {

    public ChildStartException(String message) {
        super(message);
    }
}
