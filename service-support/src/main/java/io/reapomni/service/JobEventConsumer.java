package io.reapomni.service;

import io.reapomni.common.events.EventCodec;
import io.reapomni.common.events.JobEvent;
import io.reapomni.common.events.JobFailed;
import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.MalformedEventException;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How every service handles an incoming Kafka message: decode the event, run the handler with the job id in the
 * logging MDC ({@value #JOB_ID_MDC_KEY}), and acknowledge it. Nothing is ever retried, so no message blocks its
 * partition:
 * <ul>
 *   <li>a message that is not a readable event of the expected type fails its job (when its job id can be read) and
 *       is nacked, which the channel's {@code dead-letter-queue} failure strategy turns into a record on the
 *       dead-letter topic with the reason in its {@code dead-letter-reason} header;</li>
 *   <li>a handler that throws ends the job with {@code JobFailed} on the job-events topic, and the message is
 *       acknowledged: the job is over, its event was processed.</li>
 * </ul>
 * Only a failure to publish that {@code JobFailed} leaves the message unacknowledged (nacked, so it is
 * dead-lettered), because then nobody would learn that the job ended. A handler stopped by the service's shutdown
 * ({@link JobStoppedException}) leaves it neither acknowledged nor failed: it is delivered again after the restart.
 */
@ApplicationScoped
public class JobEventConsumer {

    public static final String JOB_ID_MDC_KEY = "jobId";

    private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);

    private final EventPublisher jobEvents;
    private final ServiceMetrics metrics;

    @Inject
    public JobEventConsumer(@Identifier(JobEventsChannel.NAME) EventPublisher jobEvents, ServiceMetrics metrics) {
        this.jobEvents = jobEvents;
        this.metrics = metrics;
    }

    /**
     * Handles one message that must carry an event of type {@code type}; {@code phase} is the job phase the handler
     * works in, named by any {@code JobFailed} it causes. Blocks while the handler runs: call it from a
     * {@code @Blocking} incoming method. The returned stage is the message's ack or nack.
     */
    public <T extends JobEvent> CompletionStage<Void> consume(Message<String> message, Class<T> type, JobPhase phase,
                                                              JobHandler<T> handler) {
        T event;
        try {
            event = EventCodec.decode(message.getPayload(), type);
        } catch (MalformedEventException e) {
            return deadLetter(message, type, phase, e);
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
        Optional<JobFailed> failure = Optional.empty();
        try {
            handler.handle(event);
            run.completed();
        } catch (JobStoppedException e) {
            LOG.infof("stopped in %s: %s; the message stays unacknowledged and is delivered again", phase.id(),
                    e.getMessage());
            return CompletableFuture.completedFuture(null);
        } catch (JobRejectedException e) {
            LOG.warnf("rejected in %s: %s", phase.id(), e.getMessage());
            run.failed(FailureCause.REJECTED);
            failure = Optional.of(JobFailed.of(event.jobId(), phase, e.getMessage()));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf(e, "failed in %s", phase.id());
            run.failed(FailureCause.ERROR);
            failure = Optional.of(JobFailed.of(event.jobId(), phase, unexpectedFailureReason(phase, e)));
        }
        if (failure.isEmpty()) {
            return message.ack();
        }
        try {
            jobEvents.publish(failure.get());
            return message.ack();
        } catch (PublishException e) {
            LOG.error("the job's failure could not be published", e);
            return message.nack(e);
        }
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
            jobEvents.publish(JobFailed.of(jobId, phase, reason));
        } catch (PublishException e) {
            LOG.error("the job's failure could not be published", e);
        } finally {
            MDC.remove(JOB_ID_MDC_KEY);
        }
        return message.nack(problem);
    }

    /** Says which service failed and where to look, without quoting anything from the configuration. */
    private String unexpectedFailureReason(JobPhase phase, Exception e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return metrics.service() + " failed during " + phase.id() + " (" + detail
                + "); its log has the details under this job id. Submitting the job again with the same job id"
                + " retries it.";
    }
}
