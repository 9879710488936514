package io.reapomni.service;

import io.quarkus.runtime.ShutdownEvent;
import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.MalformedEventException;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How every service handles an incoming Kafka message: decode the event, run the handler with the job id in the
 * logging MDC ({@value #JOB_ID_MDC_KEY}), and acknowledge it. Nothing is ever retried and nothing escapes, so no
 * message blocks its partition:
 * <ul>
 *   <li>a handler that rejects the job ({@link JobRejectedException}, a reason its user can act on) ends it with
 *       {@code JobFailed} on the job-events topic, and the message is acknowledged: it was processed, the answer is
 *       no;</li>
 *   <li>any other failure of the handler, an {@link Error} as much as an exception, ends the job with
 *       {@code JobFailed} naming the service and the failure, and the message is nacked, which the channel's
 *       {@code dead-letter-queue} failure strategy turns into a record on the dead-letter topic with the reason in
 *       its {@code dead-letter-reason} header (and the failure's class in {@code dead-letter-cause-class-name}), for
 *       a person to look at or replay;</li>
 *   <li>a message that is not a readable event of the expected type fails its job (when its job id can be read)
 *       and is dead-lettered the same way.</li>
 * </ul>
 * A failure to publish the {@code JobFailed} of a rejection leaves that message nacked too, because then nobody
 * would learn that the job ended. After a {@linkplain FatalErrors fatal error} the service publishes what it can,
 * then {@linkplain ServiceExit exits} so that its supervisor restarts it.
 *
 * <p>Every handler has a deadline, by job phase ({@link HandlerDeadlines}). Past it, the job fails with the reason,
 * the message is dead-lettered and the handler's thread interrupted; what the handler publishes after that is
 * refused. A handler that has not stopped within the grace after that leaves the service stuck on its partition: the
 * service exits to be restarted.
 *
 * <p>A handler that stops for the service's shutdown ({@link JobStoppedException}: its work is resumable), or fails
 * while the service shuts down (Quarkus interrupts running handlers), leaves its message neither acknowledged nor
 * dead-lettered, so that the next start takes the job up again.
 */
@ApplicationScoped
public class JobEventConsumer {

    public static final String JOB_ID_MDC_KEY = "jobId";

    private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);

    private final EventPublisher jobEvents;
    private final ServiceMetrics metrics;
    private final ServiceExit exit;
    private final HandlerDeadlines deadlines;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "job-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public JobEventConsumer(@Identifier(JobEventsChannel.NAME) EventPublisher jobEvents, ServiceMetrics metrics,
                            ServiceExit exit, HandlerDeadlines deadlines) {
        this.jobEvents = jobEvents;
        this.metrics = metrics;
        this.exit = exit;
        this.deadlines = deadlines;
    }

    private volatile boolean stopping;

    /**
     * From here on the service is shutting down: Quarkus interrupts the handlers still running, and what fails now
     * failed because of that, not because of its job.
     */
    void stopping(@Observes ShutdownEvent shutdown) {
        stopping = true;
    }

    @PreDestroy
    void stopTimer() {
        timer.shutdownNow();
    }

    /**
     * Handles one message that must carry an event of type {@code type}; {@code phase} is the job phase the handler
     * works in, named by any {@code JobFailed} it causes. Blocks while the handler runs: call it from a
     * {@code @Blocking} incoming method. The returned stage is the message's ack or nack; it never fails.
     */
    public <T extends JobEvent> CompletionStage<Void> consume(Message<String> message, Class<T> type, JobPhase phase,
                                                              JobHandler<T> handler) {
        T event;
        try {
            event = EventCodec.decode(message.getPayload(), type);
        } catch (MalformedEventException e) {
            return deadLetter(message, type, phase, e);
        } catch (Throwable e) {
            // Decoding has no job yet to fail: the message goes where a person can see why.
            return failed(message, Optional.empty(), phase, e);
        }
        MDC.put(JOB_ID_MDC_KEY, event.jobId());
        try {
            return handle(message, event, phase, handler);
        } finally {
            MDC.remove(JOB_ID_MDC_KEY);
        }
    }

    private <T extends JobEvent> CompletionStage<Void> handle(Message<String> message, T event, JobPhase phase,
                                                              JobHandler<T> handler) {
        ServiceMetrics.Run run = metrics.jobStarted();
        Duration deadline = deadlines.of(phase);
        CompletableFuture<CompletionStage<Void>> expired = new CompletableFuture<>();
        HandlerWatch watch = HandlerWatch.start(timer, deadline, deadlines.stopGrace(),
                () -> expired.complete(expire(message, event, phase, deadline, run)),
                () -> exit.afterFatalError(metrics.service() + "'s handler of job " + event.jobId() + " did not stop"
                        + " within " + deadlines.stopGrace().toSeconds() + " s of being interrupted at its deadline"));
        Optional<Throwable> failure = Optional.empty();
        try {
            handler.handle(event);
        } catch (Throwable e) {
            failure = Optional.of(e);
        }
        if (!watch.finish()) {
            failure.ifPresent(e -> LOG.infof("the handler stopped after its deadline: %s", e.toString()));
            return expired.join();
        }
        if (failure.isEmpty()) {
            run.completed();
            return message.ack();
        }
        if (failure.get() instanceof JobStoppedException stopped) {
            // The handler stopped at the service's shutdown and left its work resumable: the message stays
            // unacknowledged, and the next start of the service (or another replica) resumes the job.
            LOG.infof("stopped in %s: %s; the message stays unacknowledged and is delivered again", phase.id(),
                    stopped.getMessage());
            run.failed(FailureCause.ERROR);
            return CompletableFuture.completedFuture(null);
        }
        if (stopping && !(failure.get() instanceof JobRejectedException)) {
            // Neither acknowledged nor dead-lettered: its offset stays uncommitted, and the next start of the
            // service (or another replica) takes the job up again.
            LOG.infof("stopped by the service's shutdown in %s (%s); the message is left for the next start",
                    phase.id(), failure.get());
            run.failed(FailureCause.ERROR);
            return CompletableFuture.completedFuture(null);
        }
        if (failure.get() instanceof JobRejectedException rejected) {
            LOG.warnf("rejected in %s: %s", phase.id(), rejected.getMessage());
            run.failed(FailureCause.REJECTED);
            try {
                jobEvents.publish(JobFailed.of(event.jobId(), phase, rejected.getMessage()));
                return message.ack();
            } catch (PublishException | RuntimeException | Error publishing) {
                LOG.error("the job's failure could not be published", publishing);
                return message.nack(publishing);
            }
        }
        run.failed(FailureCause.ERROR);
        return failed(message, Optional.of(event.jobId()), phase, failure.get());
    }

    /**
     * The deadline passed with the handler still running, on the timer's thread: the job fails, the message is
     * dead-lettered (so that no restart meets it again), and the handler is then interrupted.
     */
    private CompletionStage<Void> expire(Message<String> message, JobEvent event, JobPhase phase, Duration deadline,
                                         ServiceMetrics.Run run) {
        MDC.put(JOB_ID_MDC_KEY, event.jobId());
        try {
            String reason = metrics.service() + " did not finish " + phase.id() + " of this job within "
                    + describe(deadline) + " (" + HandlerDeadlines.variable(phase) + "), so the job failed and its"
                    + " work there was stopped. The message is on the dead-letter topic; submit the job again, with"
                    + " a longer deadline if it needs one.";
            LOG.errorf("deadline passed: %s", reason);
            run.failed(FailureCause.DEADLINE);
            publishFailure(JobFailed.of(event.jobId(), phase, reason));
            metrics.deadLettered();
            return message.nack(new HandlingFailedException(reason, null));
        } finally {
            MDC.remove(JOB_ID_MDC_KEY);
        }
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + " h"
                : duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    /** A failure of the service: the job fails, the message is dead-lettered, a fatal error ends the process. */
    private CompletionStage<Void> failed(Message<String> message, Optional<String> jobId, JobPhase phase,
                                         Throwable failure) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        boolean fatal = FatalErrors.fatalIn(failure).isPresent();
        String reason = failureReason(phase, failure, fatal);
        LOG.errorf(failure, "failed in %s", phase.id());
        jobId.ifPresent(id -> publishFailure(JobFailed.of(id, phase, reason)));
        metrics.deadLettered();
        CompletionStage<Void> deadLettered = message.nack(new HandlingFailedException(reason, failure));
        if (!fatal) {
            return deadLettered;
        }
        // After the dead letter is written: the shutdown then commits its offset, and the restarted service does
        // not meet the same message again.
        String what = metrics.service() + " met " + failure + " in " + phase.id()
                + jobId.map(id -> " of job " + id).orElse("");
        return deadLettered.whenComplete((done, problem) -> exit.afterFatalError(what));
    }

    private CompletionStage<Void> deadLetter(Message<String> message, Class<? extends JobEvent> type, JobPhase phase,
                                             MalformedEventException problem) {
        metrics.deadLettered();
        String reason = "a " + type.getSimpleName() + " message could not be read (" + problem.getMessage()
                + "); it was moved to the dead-letter topic";
        if (problem.jobId().isEmpty()) {
            LOG.warn(reason);
            return message.nack(problem);
        }
        String jobId = problem.jobId().get();
        MDC.put(JOB_ID_MDC_KEY, jobId);
        try {
            LOG.warn(reason);
            publishFailure(JobFailed.of(jobId, phase, reason));
        } finally {
            MDC.remove(JOB_ID_MDC_KEY);
        }
        return message.nack(problem);
    }

    /** Publishes a job's end as well as the service still can; the message's dead letter goes out either way. */
    private void publishFailure(JobFailed failed) {
        try {
            jobEvents.publish(failed);
        } catch (PublishException | RuntimeException | Error e) {
            LOG.error("the job's failure could not be published", e);
        }
    }

    /** Says which service failed and where to look, without quoting anything from the configuration. */
    private String failureReason(JobPhase phase, Throwable failure, boolean fatal) {
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        String restart = !fatal ? ""
                : FatalErrors.fatalIn(failure).orElseThrow() instanceof OutOfMemoryError
                ? "; the service restarts: give it more memory, or use smaller inputs (README, Limits and guarantees)"
                : "; the service restarts";
        return metrics.service() + " failed during " + phase.id() + " (" + detail + ")" + restart
                + ". The message is on the dead-letter topic and the service's log has the details under this job"
                + " id; submitting the job again with the same job id retries it.";
    }
}
