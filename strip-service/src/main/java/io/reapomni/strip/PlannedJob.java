package io.reapomni.strip;

import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;

/** What planning a request produced: the plan for the next service, and the progress for whoever follows the job. */
public record PlannedJob(JobPlanned planned, JobProgress progress) {
}
