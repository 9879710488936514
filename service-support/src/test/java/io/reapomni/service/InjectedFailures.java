package io.reapomni.service;

import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.common.events.JobProgress;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A service's handler with failures injected: a planned job whose id starts with {@code oom-},
 * {@code stack-overflow-} or {@code linkage-} throws that error in the handler; one that starts with {@code hang-}
 * waits until it is interrupted and then tries to publish progress; one that starts with {@code stuck-} ignores
 * interrupts until {@link #release()}. Any other is handled and remembered.
 */
@ApplicationScoped
public class InjectedFailures {

    private final JobEventConsumer consumer;
    private final EventPublisher jobEvents;
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final CountDownLatch stuck = new CountDownLatch(1);

    @Inject
    public InjectedFailures(JobEventConsumer consumer, @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents) {
        this.consumer = consumer;
        this.jobEvents = jobEvents;
    }

    @Incoming("planned")
    @Blocking
    public CompletionStage<Void> onPlanned(Message<String> message) {
        return consumer.consume(message, JobPlanned.class, JobPhase.SCORING, planned -> {
            String jobId = planned.jobId();
            if (jobId.startsWith("oom-")) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (jobId.startsWith("stack-overflow-")) {
                throw new StackOverflowError();
            }
            if (jobId.startsWith("linkage-")) {
                throw new NoClassDefFoundError("ai/djl/engine/Engine");
            }
            if (jobId.startsWith("hang-")) {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    jobEvents.publish(JobProgress.of(jobId, JobPhase.SCORING, 1, 1, "steps", "too late"));
                    throw e;
                }
            }
            if (jobId.startsWith("stuck-")) {
                awaitIgnoringInterrupts();
            }
            handled.add(jobId);
        });
    }

    List<String> handled() {
        return handled;
    }

    /** Lets the {@code stuck-} handlers end. */
    void release() {
        stuck.countDown();
    }

    private void awaitIgnoringInterrupts() {
        while (stuck.getCount() > 0) {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                // Ignored on purpose: a handler blocked where interrupts do not reach.
            }
        }
    }
}
