package io.reapomni.common.events;

import io.reapomni.common.job.PruneRequest;

import java.time.Instant;

/** The event that starts a pruning job: a user asks for it, with the {@link PruneRequest} it carries. */
public record PruneRequested(String jobId, int schemaVersion, Instant timestamp, PruneRequest request) implements JobEvent {
    public static PruneRequested of(String jobId, PruneRequest request) {
        return new PruneRequested(jobId, SCHEMA_VERSION, Instant.now(), request);
    }
}
