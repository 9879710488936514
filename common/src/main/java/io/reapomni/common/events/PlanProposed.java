package io.reapomni.common.events;

import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.StoreLocation;

import java.time.Instant;

/**
 * The end of a dry run: the plan the job would execute (with its scores as evidence when it was calibrated), for a
 * person to review and edit before a job executes it as a saved plan. Nothing was written.
 */
public record PlanProposed(String jobId, int schemaVersion, Instant timestamp, StoreLocation modelPath,
                           PruningPlan plan) implements JobEvent {
    public static PlanProposed of(String jobId, StoreLocation modelPath, PruningPlan plan) {
        return new PlanProposed(jobId, SCHEMA_VERSION, Instant.now(), modelPath, plan);
    }
}
