package io.reapomni.common.events;

import java.time.Instant;

/** The pruned model is published at {@code outputPath}, with its manifest and report. */
public record JobCompleted(String jobId, int schemaVersion, Instant timestamp, String outputPath, int files,
                           long bytes, long parametersBefore, long parametersAfter, double seconds) implements JobEvent {
    public static JobCompleted of(String jobId, String outputPath, int files, long bytes, long parametersBefore,
                                  long parametersAfter, double seconds) {
        return new JobCompleted(jobId, SCHEMA_VERSION, Instant.now(), outputPath, files, bytes, parametersBefore,
                parametersAfter, seconds);
    }
}
