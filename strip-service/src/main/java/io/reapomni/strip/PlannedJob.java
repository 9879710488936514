package io.reapomni.strip;

import io.reapomni.common.events.CalibrationTask;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;

import java.util.List;

/**
 * What planning a request produced: the calibration tasks for the workers (none for a job without calibration), the
 * plan for the next service, and the progress for whoever follows the job.
 */
public record PlannedJob(List<CalibrationTask> tasks, JobPlanned planned, JobProgress progress) {
    public PlannedJob {
        tasks = List.copyOf(tasks);
    }
}
