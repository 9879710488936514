package io.reapomni.common.events;

import io.reapomni.common.job.HeldOutSamples;

import java.time.Instant;
import java.util.Objects;

/**
 * Evaluate the model just written at {@code outputPath} against its original at {@code modelPath} on the held-out
 * samples, and report the result ({@link EvaluationReported}). From the shard writer to the calibration workers,
 * which have the device and the engine; keyed by job id.
 */
public record EvaluationTask(String jobId, int schemaVersion, Instant timestamp, String modelPath, String outputPath,
                             HeldOutSamples samples) implements JobEvent {
    public EvaluationTask {
        Objects.requireNonNull(samples, "samples");
    }

    public static EvaluationTask of(String jobId, String modelPath, String outputPath, HeldOutSamples samples) {
        return new EvaluationTask(jobId, SCHEMA_VERSION, Instant.now(), modelPath, outputPath, samples);
    }
}
