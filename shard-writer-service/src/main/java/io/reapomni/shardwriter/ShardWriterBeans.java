package io.reapomni.shardwriter;

import io.reapomni.common.events.EvaluationTask;
import io.reapomni.service.EventPublisher;
import io.reapomni.service.JobEventsChannel;
import io.reapomni.service.ServiceMetrics;
import io.reapomni.service.StorageSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.time.Clock;
import java.time.Duration;

/**
 * Wires the plain {@link PlanExecutor} and {@link EvaluationRecorder} to the service's configuration, topics and
 * metrics: evaluation tasks go to the {@value #EVALUATION_TASKS} channel, everything else to the job events.
 */
public final class ShardWriterBeans {

    static final String EVALUATION_TASKS = "evaluation-tasks";

    private ShardWriterBeans() {
    }

    @Produces
    @Singleton
    static PlanExecutor planExecutor(StorageSettings storage, @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents,
                                     @Channel(EVALUATION_TASKS) Emitter<String> evaluationTasks,
                                     ServiceMetrics metrics,
                                     @ConfigProperty(name = "reap.shard-writer.progress-interval") Duration progressInterval) {
        EventPublisher evaluations = new EventPublisher(evaluationTasks);
        return new PlanExecutor(storage::s3,
                event -> (event instanceof EvaluationTask ? evaluations : jobEvents).publish(event),
                metrics::bytesWritten, Clock.systemUTC(), progressInterval);
    }

    @Produces
    @Singleton
    static EvaluationRecorder evaluationRecorder(StorageSettings storage,
                                                 @Identifier(JobEventsChannel.NAME) EventPublisher jobEvents) {
        return new EvaluationRecorder(storage::s3, jobEvents);
    }
}
