package io.reapomni.common.events;

import io.reapomni.common.plan.PruningPlan;

import java.time.Instant;

/** The final plan of a job: the shard writer executes it on {@code modelPath} into {@code outputPath}. */
public record PlanReady(String jobId, int schemaVersion, Instant timestamp, String modelPath, String outputPath,
                        PruningPlan plan) implements JobEvent {
    public static PlanReady of(String jobId, String modelPath, String outputPath, PruningPlan plan) {
        return new PlanReady(jobId, SCHEMA_VERSION, Instant.now(), modelPath, outputPath, plan);
    }
}
