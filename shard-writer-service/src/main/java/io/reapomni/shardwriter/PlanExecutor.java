package io.reapomni.shardwriter;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.plan.PlanValidator;
import io.reapomni.common.plan.ValidatedPlan;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.JobClaim;
import io.reapomni.common.rewrite.OutputExistsException;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.rewrite.RewriteStoppedException;
import io.reapomni.common.rewrite.StopSignal;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobStoppedException;
import io.reapomni.service.JobStores;
import io.reapomni.service.ProgressThrottle;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Executes one {@code PlanReady}: opens the model and the output, runs the resumable rewrite under the job's id, and
 * publishes progress and then {@code JobCompleted}, or, when the job evaluates its model, an {@code EvaluationTask}
 * for the calibration workers (the job completes once {@link EvaluationRecorder} has the result). A plan delivered again (at-least-once delivery, a restart) is
 * safe: an output this job already published is reported without writing, and an output this job left unfinished
 * is completed, keeping the files that are already right. What a user can fix is thrown as
 * {@link JobRejectedException} with a reason that says what to change; a job stopped by the service's shutdown as
 * {@link JobStoppedException} (its plan is delivered again and resumed); anything else is the service's failure, which
 * keeps the files finished so far for the job's next run (the exception says where).
 */
public final class PlanExecutor {
    private static final Logger LOG = Logger.getLogger(PlanExecutor.class);

    private final JobStores stores;
    private final JobEventSink events;
    private final LongConsumer bytesWritten;
    private final Supplier<ProgressThrottle> throttles;
    private final StopSignal stop;
    private final StagingJanitor janitor;
    private final Set<String> activeJobs = ConcurrentHashMap.newKeySet();

    /**
     * @param stores    what plans may name: S3 locations, and local folders under the service's local roots
     * @param throttles a new throttle of progress events for each job
     * @param stop      asked between files whether the service is stopping
     * @param janitor   sweeps what earlier jobs left near each job's output
     */
    PlanExecutor(JobStores stores, JobEventSink events, LongConsumer bytesWritten,
                 Supplier<ProgressThrottle> throttles, StopSignal stop, StagingJanitor janitor) {
        this.stores = stores;
        this.events = events;
        this.bytesWritten = bytesWritten;
        this.throttles = throttles;
        this.stop = stop;
        this.janitor = janitor;
    }

    /** The jobs being written now, whose staging areas no sweep may touch. */
    Set<String> activeJobs() {
        return Set.copyOf(activeJobs);
    }

    public void execute(PlanReady plan) throws JobRejectedException, JobStoppedException, IOException,
            PublishException {
        activeJobs.add(plan.jobId());
        try {
            write(plan);
        } finally {
            activeJobs.remove(plan.jobId());
        }
    }

    private void write(PlanReady plan) throws JobRejectedException, JobStoppedException, IOException,
            PublishException {
        StoreLocation model = plan.modelPath();
        StoreLocation output = plan.outputPath();
        stores.requireWritable(output);
        try (ObjectStore source = stores.openForReading(model, "the model")) {
            ValidatedPlan validated = validate(plan, source);
            requireOutside(output, model);
            janitor.sweepNear(output, plan.jobId());
            CheckpointRewriter rewriter = new CheckpointRewriter(source);
            RewriteResult result;
            try (OutputTarget target = openOutput(output, rewriter.claim(plan.jobId(), validated))) {
                WritingProgress progress = new WritingProgress(plan.jobId(), events, throttles.get());
                result = rewriter.rewrite(validated, target, progress, stop);
            } catch (RewriteStoppedException e) {
                throw new JobStoppedException(e.getMessage(), e);
            }
            bytesWritten.accept(result.transfer().bytesWritten());
            log(plan, result);
            if (plan.evaluation().isPresent()) {
                HeldOutSamples samples = plan.evaluation().get();
                // Said before the task goes out, so a watcher never sees the workers' progress before it.
                events.publish(JobProgress.of(plan.jobId(), JobPhase.EVALUATION, 0, 1, "steps", "the model is"
                        + " written to " + output + "; evaluating it against the original on audio "
                        + samples.range() + " of " + samples.dataFile() + ", held out of calibration"));
                events.publish(EvaluationTask.of(plan.jobId(), model, output, samples));
            } else {
                events.publish(JobCompleted.of(plan.jobId(), output, result.manifest().files().size() + 1,
                        result.manifest().totalBytes(), result.report().parametersBefore(),
                        result.report().parametersAfter(), result.transfer().seconds()));
            }
        }
    }

    /**
     * The plan from the event, checked against the model this service reads: the one validation of the job in this
     * service, whoever published the plan.
     */
    private static ValidatedPlan validate(PlanReady plan, ObjectStore source) throws JobRejectedException {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(source);
        } catch (IOException e) {
            throw rejected("the model at " + source.location() + " cannot be read (is the store reachable, and is"
                    + " the path a Qwen3-Omni checkpoint?)", e);
        }
        try {
            return PlanValidator.validate(plan.plan(), checkpoint);
        } catch (PlanException e) {
            throw rejected("the plan does not fit the model at " + source.location(), e);
        }
    }

    private static void requireOutside(StoreLocation output, StoreLocation model) throws JobRejectedException {
        try {
            CheckpointRewriter.requireOutside(output, model);
        } catch (IllegalArgumentException e) {
            throw rejected("the output location cannot be used", e);
        }
    }

    private OutputTarget openOutput(StoreLocation output, JobClaim claim) throws JobRejectedException, IOException {
        try {
            return stores.refusing(output, "the output",
                    () -> OutputTarget.open(output, stores.access().s3Settings(), claim));
        } catch (OutputExistsException e) {
            throw new JobRejectedException(e.getMessage(), e);
        }
    }

    private static void log(PlanReady plan, RewriteResult result) {
        if (result.alreadyPublished()) {
            LOG.infof("job %s: output %s was already published by an earlier run; nothing written", plan.jobId(),
                    plan.outputPath());
        } else {
            LOG.infof("job %s: wrote %s (%d bytes written, %d bytes kept from an interrupted run) in %.1f s",
                    plan.jobId(), plan.outputPath(), result.transfer().bytesWritten(), result.transfer().bytesKept(),
                    result.transfer().seconds());
        }
    }

    private static JobRejectedException rejected(String what, Exception cause) {
        return new JobRejectedException(what + ": " + cause.getMessage(), cause);
    }
}
