package io.reapomni.shardwriter;

import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.events.EvaluationTask;
import io.reapomni.common.events.JobCompleted;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.job.HeldOutSamples;
import io.reapomni.common.plan.PlanException;
import io.reapomni.common.rewrite.CheckpointRewriter;
import io.reapomni.common.rewrite.OutputExistsException;
import io.reapomni.common.rewrite.OutputTarget;
import io.reapomni.common.rewrite.RewriteResult;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.common.storage.ObjectStores;
import io.reapomni.common.storage.S3Settings;
import io.reapomni.common.storage.StoreLocation;
import io.reapomni.service.JobRejectedException;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Executes one {@code PlanReady}: opens the model and the output, runs the resumable rewrite under the job's id, and
 * publishes progress and then {@code JobCompleted}, or, when the job evaluates its model, an {@code EvaluationTask}
 * for the calibration workers (the job completes once {@link EvaluationRecorder} has the result). A plan delivered again (at-least-once delivery, a restart) is
 * safe: an output this job already published is reported without writing, and an output this job left unfinished
 * is completed, keeping the files that are already right. What a user can fix is thrown as
 * {@link JobRejectedException} with a reason that says what to change; anything else is the service's failure.
 */
public final class PlanExecutor {
    private static final Logger LOG = Logger.getLogger(PlanExecutor.class);

    private final Supplier<S3Settings> s3Settings;
    private final JobEventSink events;
    private final LongConsumer bytesWritten;
    private final Clock clock;
    private final Duration progressInterval;

    public PlanExecutor(Supplier<S3Settings> s3Settings, JobEventSink events, LongConsumer bytesWritten, Clock clock,
                        Duration progressInterval) {
        this.s3Settings = s3Settings;
        this.events = events;
        this.bytesWritten = bytesWritten;
        this.clock = clock;
        this.progressInterval = progressInterval;
    }

    public void execute(PlanReady plan) throws JobRejectedException, IOException, PublishException {
        StoreLocation model = location(plan.modelPath(), "model");
        StoreLocation output = location(plan.outputPath(), "output");
        try (ObjectStore source = openStore(model)) {
            CheckpointRewriter rewriter = new CheckpointRewriter(source, openCheckpoint(source));
            checkPlan(rewriter, plan, output);
            RewriteResult result;
            try (OutputTarget target = openOutput(output, plan.jobId())) {
                WritingProgress progress = new WritingProgress(plan.jobId(), events,
                        new ProgressThrottle(clock, progressInterval));
                result = rewriter.rewrite(plan.plan(), target, plan.jobId(), progress);
            } catch (PlanException e) {
                throw rejected("the plan does not fit the model at " + model, e);
            }
            bytesWritten.accept(result.transfer().bytesWritten());
            log(plan, result);
            if (plan.evaluation().isPresent()) {
                HeldOutSamples samples = plan.evaluation().get();
                events.publish(EvaluationTask.of(plan.jobId(), plan.modelPath(), output.toString(), samples));
                events.publish(JobProgress.of(plan.jobId(), JobPhase.EVALUATION, 0, 1, "steps", "the model is"
                        + " written to " + output + "; evaluating it against the original on audio "
                        + samples.range() + " of " + samples.dataFile() + ", held out of calibration"));
            } else {
                events.publish(JobCompleted.of(plan.jobId(), output.toString(), result.manifest().files().size() + 1,
                        result.manifest().totalBytes(), result.report().parametersBefore(),
                        result.report().parametersAfter(), result.transfer().seconds()));
            }
        }
    }

    private static StoreLocation location(String text, String role) throws JobRejectedException {
        try {
            return StoreLocation.parse(text);
        } catch (IllegalArgumentException e) {
            throw rejected("the " + role + " location is not valid", e);
        }
    }

    private ObjectStore openStore(StoreLocation location) throws JobRejectedException {
        try {
            return ObjectStores.open(location, s3Settings);
        } catch (IllegalStateException e) {
            throw rejected("the shard writer cannot reach " + location + " because S3 is not configured", e);
        }
    }

    private static Checkpoint openCheckpoint(ObjectStore source) throws JobRejectedException {
        try {
            return Checkpoint.open(source);
        } catch (IOException e) {
            throw rejected("the model at " + source.location() + " cannot be read (is the store reachable, and is"
                    + " the path a Qwen3-Omni checkpoint?)", e);
        }
    }

    private static void checkPlan(CheckpointRewriter rewriter, PlanReady plan, StoreLocation output)
            throws JobRejectedException, IOException {
        try {
            rewriter.check(plan.plan(), output);
        } catch (PlanException e) {
            throw rejected("the plan does not fit the model at " + plan.modelPath(), e);
        } catch (IllegalArgumentException e) {
            throw rejected("the output location cannot be used", e);
        }
    }

    private OutputTarget openOutput(StoreLocation output, String jobId) throws JobRejectedException, IOException {
        try {
            return OutputTarget.open(output, s3Settings, jobId);
        } catch (OutputExistsException e) {
            throw new JobRejectedException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw rejected("the shard writer cannot reach " + output + " because S3 is not configured", e);
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
