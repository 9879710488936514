package io.reapomni.common.events;

import java.util.Optional;

/** A message that is not a readable event of the expected type; it goes to the dead-letter topic. */
public class MalformedEventException extends Exception {
    private final Optional<String> jobId;

    public MalformedEventException(String message, Optional<String> jobId, Throwable cause) {
        super(message, cause);
        this.jobId = jobId;
    }

    /** The job the message seems to belong to, when its {@code jobId} field could be read, so the job can be failed. */
    public Optional<String> jobId() {
        return jobId;
    }
}
