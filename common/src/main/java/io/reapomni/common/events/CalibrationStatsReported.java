package io.reapomni.common.events;

import io.reapomni.common.calibration.CalibrationStats;

import java.time.Instant;

/** The statistics of one calibration task: sums and counts, which merge exactly in any order. */
public record CalibrationStatsReported(String jobId, int schemaVersion, Instant timestamp, String taskId, int tasks,
                                       CalibrationStats stats) implements JobEvent {
}
