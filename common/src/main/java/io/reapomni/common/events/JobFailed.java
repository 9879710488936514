package io.reapomni.common.events;

import java.time.Instant;

/** The job ended without an output; {@code reason} says what a person can do about it. The source is untouched. */
public record JobFailed(String jobId, int schemaVersion, Instant timestamp, JobPhase phase, String reason)
        implements JobEvent {
    public static JobFailed of(String jobId, JobPhase phase, String reason) {
        return new JobFailed(jobId, SCHEMA_VERSION, Instant.now(), phase, reason);
    }
}
