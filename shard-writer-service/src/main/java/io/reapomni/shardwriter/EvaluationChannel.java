package io.reapomni.shardwriter;

import io.reapomni.common.events.EvaluationReported;
import io.reapomni.common.events.JobPhase;
import io.reapomni.service.JobEventConsumer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * The incoming channel {@value #NAME} ({@code EvaluationReported} events from the calibration workers): each result
 * is added to its job's report, which completes the job.
 */
@ApplicationScoped
public class EvaluationChannel {
    public static final String NAME = "evaluations";

    private final JobEventConsumer consumer;
    private final EvaluationRecorder recorder;

    @Inject
    public EvaluationChannel(JobEventConsumer consumer, EvaluationRecorder recorder) {
        this.consumer = consumer;
        this.recorder = recorder;
    }

    @Incoming(NAME)
    @Blocking
    public CompletionStage<Void> onEvaluation(Message<String> message) {
        return consumer.consume(message, EvaluationReported.class, JobPhase.EVALUATION, recorder::record);
    }
}
