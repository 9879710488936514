package io.reapomni.service;

import io.reapomni.common.events.JobEvent;

/**
 * A service's work on one incoming event. It publishes what the work produced before it returns; it throws
 * {@link JobRejectedException} for a job that cannot go on, and any other exception for a failure of its own.
 * Either ends the job with a {@code JobFailed}: an event is never retried, so that no partition stays blocked.
 */
@FunctionalInterface
public interface JobHandler<T extends JobEvent> {
    void handle(T event) throws Exception;
}
