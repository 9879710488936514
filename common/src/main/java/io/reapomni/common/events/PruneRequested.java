package io.reapomni.common.events;

import io.reapomni.common.job.PruneRequest;

import java.time.Instant;

/** A user asks for a pruning job. */
public record PruneRequested(String jobId, int schemaVersion, Instant timestamp, PruneRequest request) implements JobEvent {
    public static PruneRequested of(String jobId, PruneRequest request) {
        return new PruneRequested(jobId, SCHEMA_VERSION, Instant.now(), request);
    }
}
