package io.reapomni.calibrationservice;

import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobProgress;

/** What running a calibration task produced: its statistics for scoring, and progress for whoever follows the job. */
record TaskResult(CalibrationStatsReported stats, JobProgress progress) {
}
