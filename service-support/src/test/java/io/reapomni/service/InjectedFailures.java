package io.reapomni.service;

import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service's handler with failures injected: a planned job whose id starts with {@code oom-},
 * {@code stack-overflow-} or {@code linkage-} throws that error in the handler, any other is handled and remembered.
 */
@ApplicationScoped
public class InjectedFailures {

    private final JobEventConsumer consumer;
    private final List<String> handled = new CopyOnWriteArrayList<>();

    @Inject
    public InjectedFailures(JobEventConsumer consumer) {
        this.consumer = consumer;
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
            handled.add(jobId);
        });
    }

    List<String> handled() {
        return handled;
    }
}
