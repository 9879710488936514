package io.reapomni.common.events;

import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.plan.PruningPlan;

import java.time.Instant;
import java.util.Optional;

/**
 * The final plan of a job: the shard writer executes it on {@code modelPath} into {@code outputPath}, then, when
 * {@code evaluation} names held-out samples, has the written model evaluated on them before the job completes.
 */
public record PlanReady(String jobId, int schemaVersion, Instant timestamp, String modelPath, String outputPath,
                        PruningPlan plan, Optional<HeldOutSamples> evaluation) implements JobEvent {
    public static PlanReady of(String jobId, String modelPath, String outputPath, PruningPlan plan) {
        return of(jobId, modelPath, outputPath, plan, Optional.empty());
    }

    public static PlanReady of(String jobId, String modelPath, String outputPath, PruningPlan plan,
                               Optional<HeldOutSamples> evaluation) {
        return new PlanReady(jobId, SCHEMA_VERSION, Instant.now(), modelPath, outputPath, plan, evaluation);
    }
}
