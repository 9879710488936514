package io.reapomni.scoring;

import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.PlanReady;
import io.reapomni.service.JobRejectedException;

/**
 * Turns a planned job into its final plan. A job without calibration needs no scoring: its static plan already merges
 * the strip with the listed experts and layers (the strip service built and validated it against the model), so it
 * is the final plan. Scoring from calibration statistics comes in a later version.
 *
 * <p>Idempotent by construction: a redelivered {@code JobPlanned} yields the same plan again, published as a second
 * {@code PlanReady}; the shard writer de-duplicates plans by job id, so it never writes a job twice.
 */
public final class StaticPlanScorer {

    public PlanReady finalPlan(JobPlanned planned) throws JobRejectedException {
        if (planned.calibrationTasks() > 0) {
            throw new JobRejectedException("the job waits for " + planned.calibrationTasks() + " calibration tasks,"
                    + " but scoring from calibration statistics is not available in this version yet: list the"
                    + " experts to keep and the layers to drop instead");
        }
        return PlanReady.of(planned.jobId(), planned.request().modelPath(), planned.request().outputPath(),
                planned.staticPlan());
    }
}
