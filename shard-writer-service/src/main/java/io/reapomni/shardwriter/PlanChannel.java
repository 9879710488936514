package io.reapomni.shardwriter;

import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.PlanReady;
import io.reapomni.service.JobEventConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The incoming channel {@value #NAME} ({@code PlanReady} events): each plan is executed on a worker thread, one at a
 * time, because a job moves tens of GB and runs for minutes; see {@code application.properties} for the consumer
 * settings that keep such a job from being redelivered while it runs.
 */
@ApplicationScoped
public class PlanChannel {
    public static final String NAME = "plans";

    private final JobEventConsumer consumer;
    private final PlanExecutor executor;

    @Inject
    public PlanChannel(JobEventConsumer consumer, PlanExecutor executor) {
        this.consumer = consumer;
        this.executor = executor;
    }

    @Incoming(NAME)
    @Blocking
    public CompletionStage<Void> onPlan(Message<String> message) {
        return consumer.consume(message, PlanReady.class, JobPhase.WRITING, executor::execute);
    }
}
