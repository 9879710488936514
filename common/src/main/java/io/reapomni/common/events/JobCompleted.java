package io.reapomni.common.events;

import io.reapomni.common.evaluation.QualityAverage;

import java.time.Instant;
import java.util.Optional;

/**
 * The pruned model is published at {@code outputPath}, with its manifest and report; {@code quality} is its quality
 * on the held-out samples when the job evaluated it (the report has every sample).
 */
public record JobCompleted(String jobId, int schemaVersion, Instant timestamp, String outputPath, int files,
                           long bytes, long parametersBefore, long parametersAfter, double seconds,
                           Optional<QualityAverage> quality) implements JobEvent {
    public static JobCompleted of(String jobId, String outputPath, int files, long bytes, long parametersBefore,
                                  long parametersAfter, double seconds) {
        return of(jobId, outputPath, files, bytes, parametersBefore, parametersAfter, seconds, Optional.empty());
    }

    public static JobCompleted of(String jobId, String outputPath, int files, long bytes, long parametersBefore,
                                  long parametersAfter, double seconds, Optional<QualityAverage> quality) {
        return new JobCompleted(jobId, SCHEMA_VERSION, Instant.now(), outputPath, files, bytes, parametersBefore,
                parametersAfter, seconds, quality);
    }
}
