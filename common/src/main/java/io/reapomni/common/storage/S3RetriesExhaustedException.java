package io.reapomni.common.storage;

import java.io.IOException;

/**
 * A transient S3 failure that lasted through every attempt {@link RetrySettings} allows. Code that wraps a retried
 * request in a request of its own (a part upload streaming a ranged read) does not retry it again.
 */
public class S3RetriesExhaustedException extends IOException {
    public S3RetriesExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
