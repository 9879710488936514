package io.reapomni.common.events;

import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PruningPlan;

import java.time.Instant;
import java.util.Optional;

/**
 * The request was checked against the model: {@code staticPlan} holds what needs no calibration (strips, listed
 * experts and layers), and {@code calibrationTasks} tasks were published for the rest (0: the plan is complete).
 * {@code evaluation} names the audio samples no task runs, on which the written model is evaluated.
 */
public record JobPlanned(String jobId, int schemaVersion, Instant timestamp, PruneRequest request,
                         PruningPlan staticPlan, int calibrationTasks, Optional<HeldOutSamples> evaluation)
        implements JobEvent {
    public static JobPlanned of(String jobId, PruneRequest request, PruningPlan staticPlan, int calibrationTasks) {
        return of(jobId, request, staticPlan, calibrationTasks, Optional.empty());
    }

    public static JobPlanned of(String jobId, PruneRequest request, PruningPlan staticPlan, int calibrationTasks,
                                Optional<HeldOutSamples> evaluation) {
        return new JobPlanned(jobId, SCHEMA_VERSION, Instant.now(), request, staticPlan, calibrationTasks,
                evaluation);
    }
}
