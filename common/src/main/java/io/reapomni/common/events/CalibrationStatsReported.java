package io.reapomni.common.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The statistics of one calibration task: sums and counts, which merge exactly in any order. {@code stats} is the
 * calibration engine's statistics document ({@code {"modalities": {...}}}).
 */
public record CalibrationStatsReported(String jobId, int schemaVersion, Instant timestamp, String taskId, int tasks,
                                       JsonNode stats) implements JobEvent {
}
