package io.reapomni.scoring.jobs;

import io.reapomni.common.calibration.CalibrationStats;
import io.reapomni.common.checkpoint.Checkpoint;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.reapomni.common.events.PlanProposed;
import io.reapomni.common.events.PlanReady;
import io.reapomni.common.job.PruneRequest;
import io.reapomni.common.plan.PruningPlan;
import io.reapomni.common.storage.ObjectStore;
import io.reapomni.scoring.score.CalibratedPlanner;
import io.reapomni.scoring.score.ScoringException;
import io.reapomni.service.JobEventSink;
import io.reapomni.service.PublishException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The scoring of jobs, from their events to their final plan. A job without calibration is ready at once with its
 * static plan. A calibrated job is remembered in {@link JobStateStore} until the statistics of all its tasks are in,
 * whatever the order in which the job and its statistics arrive; then they are merged, scored, and the plan or the
 * reason it cannot be made is published (a dry run ends with the plan instead). A job whose statistics are not all in
 * by its deadline fails.
 *
 * <p>The outcome is published before the job is marked finished: a crash in between publishes it again on redelivery,
 * which the shard writer's de-duplication by job id absorbs, while the reverse order could lose a job.
 * Methods are synchronized: a job's planned event and statistics arrive on different channels.
 */
public final class ScoringJobs {
    private static final Logger LOG = Logger.getLogger(ScoringJobs.class);

    private final JobStateStore state;
    private final ModelOpener models;
    private final JobEventSink events;
    private final Duration deadline;

    /** @param deadline how long after it was planned a job may wait for its calibration statistics */
    public ScoringJobs(JobStateStore state, ModelOpener models, JobEventSink events, Duration deadline) {
        this.state = state;
        this.models = models;
        this.events = events;
        this.deadline = deadline;
    }

    public synchronized void planned(JobPlanned planned) throws IOException, PublishException {
        if (planned.calibrationTasks() == 0) {
            // Re-publishing on redelivery is harmless: the shard writer de-duplicates plans by job id.
            publishOutcome(outcome(planned, planned.staticPlan()));
            return;
        }
        if (state.isFinished(planned.jobId())) {
            LOG.infof("job already scored or failed; its JobPlanned was delivered again and is ignored");
            return;
        }
        state.savePlanned(planned);
        advance(planned);
    }

    public synchronized void statsReported(CalibrationStatsReported stats) throws IOException, PublishException {
        if (state.isFinished(stats.jobId())) {
            LOG.infof("job already scored or failed; statistics of task %s are ignored", stats.taskId());
            return;
        }
        state.saveTask(stats);
        Optional<JobPlanned> planned = state.planned(stats.jobId());
        if (planned.isPresent()) {
            advance(planned.get());
        }
    }

    /** Fails every waiting job planned longer than the deadline before {@code now}. */
    public synchronized void expireOverdue(Instant now) throws IOException, PublishException {
        for (JobPlanned planned : state.waiting()) {
            if (planned.timestamp().plus(deadline).isBefore(now)) {
                int done = state.tasks(planned.jobId()).size();
                fail(planned.jobId(), JobPhase.CALIBRATION, "calibration did not finish within " + deadline
                        + ": statistics of " + done + " of " + planned.calibrationTasks() + " tasks arrived. Check"
                        + " that calibration workers are running and their logs for this job id, then submit the"
                        + " job again");
            }
        }
    }

    private void advance(JobPlanned planned) throws IOException, PublishException {
        List<CalibrationStatsReported> tasks = state.tasks(planned.jobId());
        int total = planned.calibrationTasks();
        events.publish(JobProgress.of(planned.jobId(), JobPhase.CALIBRATION, tasks.size(), total, "tasks",
                "statistics of " + tasks.size() + " of " + total + " calibration tasks in"));
        if (tasks.size() > total) {
            fail(planned.jobId(), JobPhase.SCORING, "statistics of " + tasks.size() + " different calibration tasks"
                    + " arrived, but the job has " + total + ": the tasks do not belong to one plan of this job");
        } else if (tasks.size() == total) {
            score(planned, tasks);
        }
    }

    private void score(JobPlanned planned, List<CalibrationStatsReported> tasks) throws IOException, PublishException {
        CalibrationStats merged = CalibrationStats.empty();
        try {
            for (CalibrationStatsReported task : tasks) {
                merged = merged.plus(task.stats());
            }
        } catch (IllegalArgumentException e) {
            fail(planned.jobId(), JobPhase.SCORING, "the statistics of the calibration tasks do not merge: "
                    + e.getMessage());
            return;
        }
        PruningPlan plan;
        try (ObjectStore model = models.open(planned.request().modelPath())) {
            plan = CalibratedPlanner.plan(Checkpoint.open(model), planned.request(), planned.staticPlan(), merged)
                    .plan();
        } catch (ScoringException e) {
            fail(planned.jobId(), JobPhase.SCORING, e.getMessage());
            return;
        }
        JobEvent outcome = outcome(planned, plan);
        publishOutcome(outcome);
        state.finish(planned.jobId(), outcome.getClass().getSimpleName());
    }

    /**
     * Publishes the job's plan or proposal. A plan is announced first by progress saying that it goes to the shard
     * writer (plans are not job events), so that whoever follows the job sees the announcement before anything the
     * shard writer says about it: the writer can only act on a plan the broker already has, and the announcement
     * is there before it.
     */
    private void publishOutcome(JobEvent outcome) throws PublishException {
        if (outcome instanceof PlanReady ready) {
            try {
                events.publish(JobProgress.of(ready.jobId(), JobPhase.SCORING, 1, 1, "steps",
                        "the plan is made and goes to the shard writer"));
            } catch (PublishException e) {
                // The plan is what counts; the progress only tells the people watching.
                LOG.warnf("progress of the plan of job %s not published: %s", ready.jobId(), e.getMessage());
            }
        }
        events.publish(outcome);
    }

    private void fail(String jobId, JobPhase phase, String reason) throws IOException, PublishException {
        LOG.warnf("job failed in %s: %s", phase.id(), reason);
        events.publish(JobFailed.of(jobId, phase, reason));
        state.finish(jobId, "JobFailed: " + reason);
    }

    /**
     * The plan to execute (with the samples to evaluate the written model on), or for a dry run the end of the job
     * with the plan for a person to review.
     */
    private static JobEvent outcome(JobPlanned planned, PruningPlan plan) {
        PruneRequest request = planned.request();
        if (request.dryRun()) {
            return PlanProposed.of(planned.jobId(), request.modelPath(), plan);
        }
        return PlanReady.of(planned.jobId(), request.modelPath(), request.outputPath().orElseThrow(), plan,
                planned.evaluation());
    }
}
