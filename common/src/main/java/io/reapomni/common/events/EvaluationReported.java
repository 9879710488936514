package io.reapomni.common.events;

import io.reapomni.common.evaluation.QualityReport;

import java.time.Instant;
import java.util.Objects;

/**
 * The quality of the model written at {@code outputPath} on its job's held-out samples: from a calibration worker to
 * the shard writer, which adds it to the output's report and completes the job.
 */
public record EvaluationReported(String jobId, int schemaVersion, Instant timestamp, String outputPath,
                                 QualityReport quality) implements JobEvent {
    public EvaluationReported {
        Objects.requireNonNull(quality, "quality");
    }

    public static EvaluationReported of(String jobId, String outputPath, QualityReport quality) {
        return new EvaluationReported(jobId, SCHEMA_VERSION, Instant.now(), outputPath, quality);
    }
}
