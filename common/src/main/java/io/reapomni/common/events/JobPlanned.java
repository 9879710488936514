package io.reapomni.common.events;

import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PruningPlan;

import java.time.Instant;

/**
 * The request was checked against the model: {@code staticPlan} holds what needs no calibration (strips, listed
 * experts and layers), and {@code calibrationTasks} tasks were published for the rest (0: the plan is complete).
 */
public record JobPlanned(String jobId, int schemaVersion, Instant timestamp, PruneRequest request,
                         PruningPlan staticPlan, int calibrationTasks) implements JobEvent {
    public static JobPlanned of(String jobId, PruneRequest request, PruningPlan staticPlan, int calibrationTasks) {
        return new JobPlanned(jobId, SCHEMA_VERSION, Instant.now(), request, staticPlan, calibrationTasks);
    }
}
