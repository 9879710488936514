package io.reapomni.common.events;

import java.time.Instant;

/**
 * How far a phase of a job has come: {@code done} of {@code total} {@code unit}s ("bytes", "tasks", "files"), with a
 * line for people ("model-00003-of-00015.safetensors").
 */
public record JobProgress(String jobId, int schemaVersion, Instant timestamp, JobPhase phase, long done, long total,
                          String unit, String detail) implements JobEvent {
    public static JobProgress of(String jobId, JobPhase phase, long done, long total, String unit, String detail) {
        return new JobProgress(jobId, SCHEMA_VERSION, Instant.now(), phase, done, total, unit, detail);
    }
}
