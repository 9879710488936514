package io.reapomni.scoring;

import io.quarkus.scheduler.Scheduled;
import io.reapomni.common.events.CalibrationStatsReported;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.scoring.jobs.ScoringJobs;
import io.reapomni.service.JobEventConsumer;
import io.reapomni.service.ServiceExit;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Kafka in and out of {@link ScoringJobs}: planned jobs and calibration statistics in, final plans out to the shard
 * writer; and, on a schedule, the deadline of jobs whose statistics never complete.
 */
@ApplicationScoped
public class ScoringService {

    static final String JOBS = "jobs";
    static final String STATS = "stats";

    private final JobEventConsumer consumer;
    private final ScoringJobs jobs;
    private final ServiceExit exit;

    @Inject
    public ScoringService(JobEventConsumer consumer, ScoringJobs jobs, ServiceExit exit) {
        this.consumer = consumer;
        this.jobs = jobs;
        this.exit = exit;
    }

    /** Waits for the broker to take each plan before the job counts as handled: on a worker thread. */
    @Incoming(JOBS)
    @Blocking
    public CompletionStage<Void> onPlannedJob(Message<String> message) {
        return consumer.consume(message, JobPlanned.class, JobPhase.SCORING, jobs::planned);
    }

    @Incoming(STATS)
    @Blocking
    public CompletionStage<Void> onCalibrationStats(Message<String> message) {
        return consumer.consume(message, CalibrationStatsReported.class, JobPhase.SCORING, jobs::statsReported);
    }

    /** Besides this tick nothing would end a job whose last task's statistics never come. */
    @Scheduled(every = "${reap.scoring.deadline-check-every}", delayed = "${reap.scoring.deadline-check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireOverdueJobs() throws Exception {
        try {
            jobs.expireOverdue(Instant.now());
        } catch (Throwable e) {
            // The scheduler logs a failure and tries again at the next tick; after a fatal one the service restarts.
            exit.exitIfFatal(e, "the check for overdue jobs");
            throw e;
        }
    }
}
