package io.reapomni.common.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * An event of a pruning job, as JSON on Kafka, keyed by job id (calibration tasks by task id, so that they spread
 * over the workers' partitions). Every event names its type, the schema version it was written with and when.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PruneRequested.class, name = "PruneRequested"),
        @JsonSubTypes.Type(value = JobPlanned.class, name = "JobPlanned"),
        @JsonSubTypes.Type(value = CalibrationTask.class, name = "CalibrationTask"),
        @JsonSubTypes.Type(value = CalibrationStatsReported.class, name = "CalibrationStatsReported"),
        @JsonSubTypes.Type(value = PlanReady.class, name = "PlanReady"),
        @JsonSubTypes.Type(value = JobProgress.class, name = "JobProgress"),
        @JsonSubTypes.Type(value = JobCompleted.class, name = "JobCompleted"),
        @JsonSubTypes.Type(value = PlanProposed.class, name = "PlanProposed"),
        @JsonSubTypes.Type(value = EvaluationTask.class, name = "EvaluationTask"),
        @JsonSubTypes.Type(value = EvaluationReported.class, name = "EvaluationReported"),
        @JsonSubTypes.Type(value = JobFailed.class, name = "JobFailed")})
public sealed interface JobEvent permits PruneRequested, JobPlanned, CalibrationTask, CalibrationStatsReported,
        PlanReady, JobProgress, JobCompleted, PlanProposed, JobFailed, EvaluationTask, EvaluationReported {

    /**
     * The version of the event schema this code writes; a reader refuses newer ones. 2: a calibration task carries
     * shares of several data files ({@link CalibrationTask#slices()}) instead of one range of one file. 3: jobs evaluate
     * their written model ({@link EvaluationTask}, {@link EvaluationReported}; the held-out samples in
     * {@link JobPlanned} and {@link PlanReady}, the quality in {@link JobCompleted}).
     */
    int SCHEMA_VERSION = 3;

    String jobId();

    int schemaVersion();

    Instant timestamp();

    /** The Kafka record key: the job id, so that a job's events stay in order on one partition. */
    default String key() {
        return jobId();
    }
}
