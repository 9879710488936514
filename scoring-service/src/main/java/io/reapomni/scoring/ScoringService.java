package io.reapomni.scoring;

import io.reapomni.common.events.JobPhase;
import io.reapomni.common.events.JobPlanned;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventConsumer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/** Kafka in and out of {@link StaticPlanScorer}: planned jobs in, final plans out to the shard writer. */
@ApplicationScoped
public class ScoringService {

    static final String JOBS = "jobs";
    static final String PLANS = "plans";

    private final JobEventConsumer consumer;
    private final StaticPlanScorer scorer = new StaticPlanScorer();
    private final EventPublisher plans;

    @Inject
    public ScoringService(JobEventConsumer consumer, @Channel(PLANS) Emitter<String> plans) {
        this.consumer = consumer;
        this.plans = new EventPublisher(plans);
    }

    /** Waits for the broker to take each plan before the job counts as handled: on a worker thread. */
    @Incoming(JOBS)
    @Blocking
    public CompletionStage<Void> onPlannedJob(Message<String> message) {
        return consumer.consume(message, JobPlanned.class, JobPhase.SCORING,
                planned -> plans.publish(scorer.finalPlan(planned)));
    }
}
