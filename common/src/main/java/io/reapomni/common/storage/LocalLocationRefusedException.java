package io.reapomni.common.storage;

/**
 * A job named a local folder that this service may not use (see {@link LocalRoots}). Like a missing S3
 * configuration, it is about what the service is set up to reach, so it is an {@link IllegalStateException}: the
 * services turn both into the job's failure with this message as the reason.
 */
public final class LocalLocationRefusedException extends IllegalStateException {

    public LocalLocationRefusedException(String message) {
        super(message);
    }
}
