package io.reapomni.common.events;

/**
 * The default Kafka topic names of reap-omni (each service lets configuration rename them) and what they carry.
 */
public final class Topics {
    /** {@link PruneRequested}: from the CLI to the strip service. */
    public static final String REQUESTS = "reap-omni.requests";
    /** {@link JobPlanned}: from the strip service to the scoring service. */
    public static final String JOBS = "reap-omni.jobs";
    /** {@link CalibrationTask}: from the strip service to the calibration workers (one consumer group). */
    public static final String CALIBRATION_TASKS = "reap-omni.calibration-tasks";
    /** {@link CalibrationStatsReported}: from the calibration workers to the scoring service. */
    public static final String CALIBRATION_STATS = "reap-omni.calibration-stats";
    /** {@link PlanReady}: from the scoring service to the shard writer. */
    public static final String PLANS = "reap-omni.plans";
    /** {@link EvaluationTask}: from the shard writer to the calibration workers, once the model is written. */
    public static final String EVALUATION_TASKS = "reap-omni.evaluation-tasks";
    /** {@link EvaluationReported}: from the calibration workers back to the shard writer, which completes the job. */
    public static final String EVALUATIONS = "reap-omni.evaluations";
    /**
     * {@link JobProgress}, {@link JobCompleted}, {@link PlanProposed} (a dry run's end), {@link JobFailed}: from every
     * service to whoever follows jobs.
     */
    public static final String JOB_EVENTS = "reap-omni.job-events";
    /** Messages that could not be processed, with the reason in their headers. */
    public static final String DEAD_LETTER = "reap-omni.dead-letter";

    private Topics() {
    }
}
